using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Agents;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Hosting.Detection;

/// <summary>
/// The feed line's pattern stage (issue 5), built from the <c>patterns</c> section: the top-of-book broadcast ring (in
/// an arena of its own), the publish stage the book worker runs, and the pattern workers with their sinks, gated by
/// the circuit breakers. Cold path: the hot path is the publish stage and the workers' generic agents.
/// </summary>
/// <remarks>
/// Life: <see cref="Start"/> before the pipeline (every consumer cursor exists before the first publish);
/// <see cref="Stop"/> after the pipeline has drained (the workers then drain the ring, and the journals are flushed
/// once the workers are gone, on the stopping thread, which the joins order after the workers' last appends).
/// </remarks>
public abstract class FeedPatterns : IDisposable
{
    private readonly Arena _arena;
    private readonly WarmupGate _warmup = new();
    private readonly InstrumentTable _universe;

    private protected FeedPatterns(WirespeedConfig config, PatternPlan plan, InstrumentTable universe, Arena arena,
        SpmcBroadcast<MarketEvent> ring, IdleStrategyOptions idle, bool inline, string[] journalPaths, SignalJournalWriter?[] journals)
    {
        Config = config;
        Inline = inline;
        Plan = plan;
        _universe = universe;
        _arena = arena;
        Ring = ring;
        Idle = idle;
        JournalPaths = journalPaths;
        Journals = journals;
        Probes = new ThreadAllocationProbe[inline ? 0 : plan.Workers];   // inline: the book worker's own probe covers the agent
        Detection = new StageMetrics?[plan.Workers];
        for (int w = 0; w < plan.Workers; w++)
        {
            if (!inline) Probes[w] = new ThreadAllocationProbe("patterns." + w);
            if (plan.Options.Clock == PatternClock.Monotonic)
                Detection[w] = new StageMetrics(plan.Workers == 1 ? "detection" : "detection." + w, config.Patterns.DetectionBudgetNs);
        }
    }

    public WirespeedConfig Config { get; }
    public PatternPlan Plan { get; }
    public SpmcBroadcast<MarketEvent> Ring { get; }
    /// <summary>The stage the book worker runs after the book (a struct: the worker runs its own copy; counters are shared).</summary>
    public TopOfBookPublishStage PublishStage { get; private protected set; }
    public PublishCounters Publish => PublishStage.Counters;
    public IdleStrategyOptions Idle { get; }
    /// <summary>Placement inline: the book worker runs the one agent after each batch (<see cref="FeedPatterns{TCallback}.InlineOver{TPublish}"/>); no pattern thread.</summary>
    public bool Inline { get; }
    /// <summary>Journal file of each worker (empty strings when the journal is off).</summary>
    public IReadOnlyList<string> JournalPaths { get; }
    private protected SignalJournalWriter?[] Journals { get; }
    /// <summary>Allocation probes of the pattern workers (marked when warm-up ends).</summary>
    public ThreadAllocationProbe[] Probes { get; }
    /// <summary>Detection latency per worker (null entries under the virtual clock).</summary>
    public StageMetrics?[] Detection { get; }
    public int Workers => Plan.Workers;

    public abstract PatternWorkerCounters WorkerCounters(int worker);
    /// <summary>Signals of pattern id <paramref name="patternId"/> (index in patterns.definitions).</summary>
    public abstract PatternSignalCounts CountsOf(int patternId);
    public abstract long DetectedOf(PatternKind kind);
    private protected abstract void StartWorkers();
    private protected abstract void StopWorkers();
    private protected abstract Worker? WorkerAt(int worker);
    /// <summary>Ring slots waiting for pattern worker <paramref name="worker"/>.</summary>
    public abstract long Backlog(int worker);
    /// <summary>Ring slots pattern worker <paramref name="worker"/>'s restarts skipped.</summary>
    public abstract long GapSlots(int worker);
    /// <summary>Replaces pattern worker <paramref name="worker"/> from consistent state (see PatternRuntime.Restart); null when done, else why not.</summary>
    public abstract string? Restart(int worker, int graceMs);
    /// <summary>Test hook (WIRESPEED_TEST_INJECT): pattern worker <paramref name="worker"/> runs behind <paramref name="injection"/>; before <see cref="Start"/>.</summary>
    public abstract void Inject(int worker, FaultInjection injection);

    /// <summary>The running thread of pattern worker <paramref name="worker"/> (null when inline or not started).</summary>
    public Worker? ThreadOf(int worker) => WorkerAt(worker);

    /// <summary>The instruments pattern worker <paramref name="worker"/> evaluates, as the report names them ("3: AAPL, MSFT, INTC").</summary>
    public string InstrumentsOf(int worker)
    {
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        var defs = Plan.Options.Patterns;
        for (int i = 0; i < defs.Count; i++)
            if (Plan.WorkerOf(i) == worker)
                foreach (var leg in defs[i].Legs) symbols.Add(leg.Symbol);
        return symbols.Count == 0 ? "none" : $"{symbols.Count}: {string.Join(", ", symbols)}";
    }
    private protected abstract void DisposeWorkers();

    /// <summary>All workers: detected, delivered, suppressed, throttled.</summary>
    public PatternSignalCounts Totals
    {
        get
        {
            long d = 0, v = 0, s = 0, t = 0;
            for (int i = 0; i < Plan.Options.Patterns.Count; i++)
            {
                var c = CountsOf(i);
                d += c.Detected; v += c.Delivered; s += c.Suppressed; t += c.Throttled;
            }
            return new PatternSignalCounts(d, v, s, t);
        }
    }

    /// <summary>
    /// Builds the stage: plan, ring, publish stage, sinks and workers (not started). <paramref name="pipelineWorkers"/>
    /// are the feed chain's workers as planned: their idle strategies decide how many cores are left for spinning.
    /// </summary>
    public static FeedPatterns<TCallback> Create<TCallback>(ResolvedConfig resolved, OrderBookSet books, BreakerState breakers, MemoryRegistry registry,
        IReadOnlyList<WorkerOptions> pipelineWorkers, int processorCount, Func<int, TCallback> callbackFor, List<string> notes)
        where TCallback : struct, ISignalCallback
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(books);
        ArgumentNullException.ThrowIfNull(breakers);
        ArgumentNullException.ThrowIfNull(pipelineWorkers);
        ArgumentNullException.ThrowIfNull(callbackFor);
        // The plan validation built and checked (ConfigValidator.Resolve): not mapped again here.
        var config = resolved.Config;
        var universe = resolved.Universe;
        var plan = resolved.Patterns;
        bool inline = PlanInline(config.Patterns, plan.Workers, pipelineWorkers, processorCount, notes);
        var idle = inline ? new IdleStrategyOptions() : PlanIdle(config.Patterns, plan.Workers, pipelineWorkers, processorCount, notes);
        var p = config.Patterns;
        var arena = Arena.Create("arena.patterns", new ArenaOptions
        {
            SizeBytes = SpmcBroadcast<MarketEvent>.RequiredBytes(p.RingCapacity) + 64,
            HugePages = config.Memory.HugePages,
            Lock = config.Memory.Lock,
            Prefault = config.Memory.Prefault,
        }, registry);
        var journals = new SignalJournalWriter?[plan.Workers];
        var paths = new string[plan.Workers];
        try
        {
            var ring = RingFactory.CreateBroadcast<MarketEvent>(arena, "ring.patterns", p.RingCapacity, plan.Workers, registry, out _);
            for (int w = 0; w < plan.Workers; w++)
            {
                paths[w] = p.Sinks.Journal.Length == 0 ? "" : plan.Workers == 1 ? p.Sinks.Journal : p.Sinks.Journal + "." + w;
                if (paths[w].Length > 0) journals[w] = OpenJournal(paths[w], p.Sinks.JournalBufferRecords, notes);
            }
            var host = new FeedPatterns<TCallback>(config, plan, universe, arena, ring, idle, inline, paths, journals, books, breakers, callbackFor);
            notes.Add(host.Describe());
            return host;
        }
        catch
        {
            foreach (var j in journals) j?.Dispose();
            arena.Dispose();
            throw;
        }
    }

    /// <summary>Opens a worker's journal (its torn tail repaired, noted); a path that cannot be a journal is a configuration error.</summary>
    private static SignalJournalWriter OpenJournal(string path, int bufferRecords, List<string> notes)
    {
        SignalJournalWriter journal;
        try
        {
            journal = new SignalJournalWriter(path, bufferRecords);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("patterns.sinks.journal", e.Message);
        }
        if (journal.RepairedBytes > 0)
            notes.Add($"patterns: journal {path}: cut {journal.RepairedBytes:N0} bytes at the end before appending: {journal.RepairReason}");
        return journal;
    }

    /// <summary>
    /// Cores a spinning pattern worker could have: all but the pipeline's spinning or yielding workers (a yielding worker
    /// keeps its core as busy as a spinning one when there is nothing else to run) and the one always left to the kernel.
    /// </summary>
    private static int FreeCores(IReadOnlyList<WorkerOptions> pipelineWorkers, int processorCount, out int spinning)
    {
        spinning = 0;
        foreach (var w in pipelineWorkers) if (w.Idle.Kind is IdleStrategyKind.BusySpin or IdleStrategyKind.Yield) spinning++;
        return Math.Max(0, processorCount - 1 - spinning);
    }

    /// <summary>
    /// Placement (patterns.placement): true when the book worker runs the patterns itself. auto chooses it for one
    /// pattern worker with idle auto when no core is left for it to spin on (the rule of <see cref="PlanIdle"/>): there
    /// a worker of its own would park between events and add its wake-up (tens of µs to ms on this VM, PLATFORM.md) to
    /// every detection, while inline adds the evaluation (a few tens of ns per event a pattern reads) to the book worker.
    /// </summary>
    internal static bool PlanInline(PatternsConfig p, int workers, IReadOnlyList<WorkerOptions> pipelineWorkers, int processorCount, List<string> notes)
    {
        if (p.Placement == PatternPlacement.Workers) return false;
        if (p.Placement == PatternPlacement.Inline)
        {
            notes.Add($"patterns: inline on the book worker (configured): no pattern thread, detection runs after each batch is published");
            return true;
        }
        int free = FreeCores(pipelineWorkers, processorCount, out int spinning);
        if (workers != 1 || p.Idle != IdleSetting.Auto || free >= 1) return false;
        notes.Add($"patterns: placement auto -> inline on the book worker ({processorCount} CPUs, {spinning} spinning or yielding pipeline worker(s), one core left free: " +
                  "no core for a spinning pattern worker, and a parked one would add its wake-up to every detection)");
        return true;
    }

    /// <summary>
    /// Idle strategy of the pattern workers. "auto" spins only when every pattern worker finds a core of its own after
    /// the pipeline's spinning workers and the one core always left to the kernel and the monitor (PLATFORM.md: on a VM
    /// of this kind two spinning threads lose far more time to the host than they save); otherwise back-off, which
    /// spins briefly, yields, then parks 20 µs doubling to 160 µs: a parked worker adds up to that to detection latency, while the ring
    /// (patterns.ringCapacity slots) holds what arrives meanwhile.
    /// </summary>
    internal static IdleStrategyOptions PlanIdle(PatternsConfig p, int workers, IReadOnlyList<WorkerOptions> pipelineWorkers, int processorCount, List<string> notes)
    {
        int free = FreeCores(pipelineWorkers, processorCount, out int spinning);
        IdleStrategyKind kind = PipelinePlan.IdleKindOf(p.Idle, auto: free >= workers ? IdleStrategyKind.BusySpin : IdleStrategyKind.BackOff);
        if (p.Idle == IdleSetting.Auto)
            notes.Add($"patterns: idle auto -> {kind} for {workers} worker(s) ({processorCount} CPUs, {spinning} spinning or yielding pipeline worker(s), one core left free: " +
                      (kind == IdleStrategyKind.BusySpin ? $"{free} core(s) to spin on)" : $"{free} core(s) left for {workers} spinning worker(s), so none spins)"));
        else
            notes.Add($"patterns: idle {kind} (configured)");
        if (kind == IdleStrategyKind.BusySpin && workers > free)
            notes.Add($"warning: patterns.idle busy-spin gives {spinning + workers} spinning threads on {processorCount} CPUs; the host will steal the time back (PLATFORM.md): use auto or back-off");
        return new IdleStrategyOptions { Kind = kind };
    }

    /// <summary>One line: definitions per worker, ring, overflow, clock, journal.</summary>
    private string Describe()
    {
        var sb = new StringBuilder();
        var defs = Plan.Options.Patterns;
        string where = Inline ? "the book worker (inline)" : Plan.Workers.ToString(CultureInfo.InvariantCulture) + " worker(s)";
        sb.Append(CultureInfo.InvariantCulture, $"patterns: {defs.Count} definitions on {where}, partition {ConfigNames.Partitions.Of(Config.Patterns.Partition)}");
        for (int w = 0; w < Plan.Workers; w++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; worker {w}:");
            for (int i = 0; i < defs.Count; i++) if (Plan.WorkerOf(i) == w) sb.Append(' ').Append(defs[i].Name);
        }
        sb.Append(CultureInfo.InvariantCulture, $"; ring {Ring.Capacity:N0} slots (each event routed to the workers that read it), overflow {ConfigNames.OverflowPolicies.Of(Config.Patterns.Overflow)}{(Config.Patterns.Clock == PatternClock.Virtual && !Inline ? " in lock step (virtual clock)" : "")}; clock {ConfigNames.Clocks.Of(Config.Patterns.Clock)}; ");
        sb.Append(Config.Patterns.Sinks.Journal.Length == 0 ? "journal off" : "journal " + string.Join(", ", JournalPaths));
        sb.Append("; gate: circuit breakers (suppress, throttle, widen thresholds by level)");
        return sb.ToString();
    }

    /// <summary>Starts the workers (before the pipeline).</summary>
    public void Start() => StartWorkers();

    /// <summary>How each worker started (idle strategy, pinning), one line each.</summary>
    public IEnumerable<string> DescribeWorkers()
    {
        if (Inline) yield return "patterns: inline on the book worker (no pattern thread)";
        for (int w = 0; w < Plan.Workers; w++)
            if (WorkerAt(w) is { } worker) yield return $"worker {worker.Name} [patterns] {worker.IdleKind}: {worker.Pin}";
    }

    /// <summary>Warm-up is over: allocation on the pattern workers counts from their next batch.</summary>
    public void EndWarmup() => _warmup.Open();

    private protected WarmupGate Warmup => _warmup;

    /// <summary>After the pipeline stopped: the workers drain the ring and stop, then the journals are flushed.</summary>
    public void Stop()
    {
        try
        {
            StopWorkers();
        }
        finally
        {
            foreach (var j in Journals) j?.Flush();
        }
    }

    /// <summary>Registers the detection-latency histograms and the probes with the monitor.</summary>
    public void Register(RunMonitor monitor)
    {
        foreach (var d in Detection) if (d is not null) monitor.Add(d);
        foreach (var p in Probes) monitor.AddProbe(p);
    }

    /// <summary>Adds the "patterns" section, one "pattern.KIND.NAME" section per definition, and notes.</summary>
    /// <param name="summary">The summary to add to.</param>
    /// <param name="booksOfLine">The books of a line id (null for a line not received), to check legs against each line's directory.</param>
    public void AddTo(RunSummary summary, Func<int, OrderBookSet?> booksOfLine)
    {
        var totals = Totals;
        var pub = Publish;
        var section = new Dictionary<string, long>
        {
            ["definitions"] = Plan.Options.Patterns.Count,
            ["workers"] = Plan.Workers,
            ["published_top_of_book"] = pub.TopOfBook,
            ["published_trades"] = pub.Trades,
            ["ring_dropped_top_of_book"] = pub.DroppedTopOfBook,
            ["ring_dropped_trades"] = pub.DroppedTrades,
            ["ring_waits"] = pub.Waits,
            ["not_subscribed"] = pub.NotSubscribed,
            ["signals_detected"] = totals.Detected,
            ["signals_delivered"] = totals.Delivered,
            ["signals_suppressed"] = totals.Suppressed,
            ["signals_throttled"] = totals.Throttled,
        };
        foreach (var (name, kind) in PatternConfigMapper.KindTable) section["detected_" + SnakeCase.Of(name)] = DetectedOf(kind);
        AddJournalCounters(section, summary.Notes);
        for (int w = 0; w < Plan.Workers; w++)
        {
            var c = WorkerCounters(w);
            section[$"worker{w}_seen"] = c.Seen;
            section[$"worker{w}_evaluated"] = c.Evaluated;
            if (!Inline) section[$"worker{w}_restart_gap_slots"] = GapSlots(w);
        }
        summary.SetCounters("patterns", section);
        var defs = Plan.Options.Patterns;
        for (int i = 0; i < defs.Count; i++)
        {
            var c = CountsOf(i);
            summary.SetCounters($"pattern.{PatternConfigMapper.KindName(defs[i].Kind)}.{defs[i].Name}", new Dictionary<string, long>
            {
                ["worker"] = Plan.WorkerOf(i),
                ["detected"] = c.Detected,
                ["delivered"] = c.Delivered,
                ["suppressed"] = c.Suppressed,
                ["throttled"] = c.Throttled,
            });
        }
        if (pub.Dropped > 0)
            summary.Notes.Add($"patterns: {pub.Dropped:N0} top-of-book/trade events dropped on a full ring (a pattern worker fell behind): raise patterns.ringCapacity or give the workers cores");
        foreach (string mismatch in CheckLegsAgainstDirectory(booksOfLine)) summary.Notes.Add(mismatch);
    }

    /// <summary>
    /// Journal counters (records written, failed writes, records and bytes lost, bytes cut on open, the failure's errno) and, for a journal
    /// that failed, a note with its cause: the feed ran on without it.
    /// </summary>
    private void AddJournalCounters(Dictionary<string, long> section, List<string> notes)
    {
        long records = 0, failedWrites = 0, lostRecords = 0, lostBytes = 0, repaired = 0, errno = 0;
        foreach (var j in Journals)
        {
            if (j is null) continue;
            records += j.Records;
            failedWrites += j.FailedWrites;
            lostRecords += j.LostRecords;
            lostBytes += j.LostBytes;
            repaired += j.RepairedBytes;
            if (j.Failed && errno == 0) errno = j.Errno;
            if (j.Failed)
                notes.Add($"warning: patterns: journal {j.Path} failed (errno {j.Errno}: {j.FailureCause}) and was disabled; the feed ran on: " +
                          $"{j.LostRecords:N0} signals ({j.LostBytes:N0} bytes) not journalled, {j.Records:N0} written before");
        }
        section["journal_records"] = records;
        section["journal_failed_writes"] = failedWrites;
        section["journal_lost_records"] = lostRecords;
        section["journal_lost_bytes"] = lostBytes;
        section["journal_repaired_bytes"] = repaired;
        section["journal_errno"] = errno;   // of the first journal that failed (28 = ENOSPC, 5 = EIO); 0: none failed
    }

    /// <summary>
    /// Legs were resolved at start-up (patterns.instruments or the simulator's names); the feed's stock directory is
    /// the truth. Lists every leg whose locate the directory gave another symbol (at most 8 lines).
    /// </summary>
    internal IEnumerable<string> CheckLegsAgainstDirectory(Func<int, OrderBookSet?> booksOfLine)
    {
        int shown = 0;
        var defs = Plan.Options.Patterns;
        for (int i = 0; i < defs.Count && shown < 8; i++)
        {
            for (int l = 0; l < defs[i].Legs.Count && shown < 8; l++)
            {
                string symbol = defs[i].Legs[l].Symbol;
                if (!_universe.TryFind(symbol, out int id) || booksOfLine(defs[i].Legs[l].Line) is not { } books) continue;
                string? fed = books.Instruments.SymbolText(id)?.Trim();
                if (fed is null || fed == symbol) continue;
                shown++;
                yield return $"warning: patterns.definitions[{i}].legs[{l}]: '{symbol}' was resolved to stock locate {id} at start-up, but the feed's directory (line {defs[i].Legs[l].Line}) gave {id} to '{fed}'; set patterns.instruments from the day's directory";
            }
        }
    }


    /// <summary>Stops the workers (if still running), closes the journals, frees the ring's arena. After the pipeline is gone.</summary>
    public void Dispose()
    {
        DisposeWorkers();
        foreach (var j in Journals) j?.Dispose();
        _arena.Dispose();
    }
}

/// <summary>The pattern stage with the in-process callback <typeparamref name="TCallback"/> (one instance per worker).</summary>
public sealed class FeedPatterns<TCallback> : FeedPatterns where TCallback : struct, ISignalCallback
{
    private readonly PatternRuntime<HostSignalSink<TCallback>, BreakerSignalGate> _runtime;
    private readonly PublishOverflowPolicy _overflow;

    internal FeedPatterns(WirespeedConfig config, PatternPlan plan, InstrumentTable universe, Arena arena, SpmcBroadcast<MarketEvent> ring,
        IdleStrategyOptions idle, bool inline, string[] journalPaths, SignalJournalWriter?[] journals, OrderBookSet books, BreakerState breakers,
        Func<int, TCallback> callbackFor)
        : base(config, plan, universe, arena, ring, idle, inline, journalPaths, journals)
    {
        var overflow = config.Patterns.Overflow;
        // The virtual clock is the deterministic mode: pattern threads then run in lock step with the book worker, so the
        // breaker levels their gate reads do not depend on thread scheduling (inline placement is lock step by nature).
        if (plan.Options.Clock == PatternClock.Virtual && !inline) overflow = PublishOverflowPolicy.Lockstep;
        _overflow = overflow;
        _runtime = new PatternRuntime<HostSignalSink<TCallback>, BreakerSignalGate>(plan, ring,
            w => new HostSignalSink<TCallback>(Detection[w], Journals[w], callbackFor(w)), new BreakerSignalGate(breakers),
            w => inline ? null : Probes[w], Warmup);
        PublishStage = new TopOfBookPublishStage(books, ring, _runtime.Routes, overflow);
    }

    /// <summary>
    /// The stage the book worker runs in place of <paramref name="publish"/> (<see cref="FeedPatterns.PublishStage"/>, or
    /// one per line on a worker that receives several) when <see cref="FeedPatterns.Inline"/>: publish, then detect.
    /// </summary>
    public InlinePatternStage<TPublish, BuiltInGroup, HostSignalSink<TCallback>, BreakerSignalGate> InlineOver<TPublish>(TPublish publish) where TPublish : struct, IStage
        => Inline ? new(publish, _runtime.Agent(0)) : throw new InvalidOperationException("placement is workers: the pattern workers read the ring");

    /// <summary>
    /// The publish stage of another line received by the same worker, over that line's <paramref name="books"/>: the
    /// same ring, routes, overflow policy and counters (one producer thread, so one ring serves every line).
    /// </summary>
    public TopOfBookPublishStage PublishFor(OrderBookSet books)
        => new(books, Ring, _runtime.Routes, _overflow, PublishStage.Counters);

    public override PatternWorkerCounters WorkerCounters(int worker) => _runtime.CountersOf(worker);

    public override PatternSignalCounts CountsOf(int patternId) => _runtime.CountsOf(Plan.WorkerOf(patternId), patternId);

    public override long DetectedOf(PatternKind kind) => _runtime.DetectedOf(kind);

    public override long Backlog(int worker) => _runtime.Backlog(worker);

    public override long GapSlots(int worker) => _runtime.GapSlots(worker);

    public override string? Restart(int worker, int graceMs) => _runtime.Restart(worker, graceMs);

    public override void Inject(int worker, FaultInjection injection) => _runtime.Inject(worker, injection);

    private protected override void StartWorkers()
    {
        if (!Inline) _runtime.Start(Idle);
    }

    private protected override void StopWorkers() => _runtime.Stop();   // inline: no worker was started, nothing to stop

    private protected override Worker? WorkerAt(int worker) => _runtime.WorkerAt(worker);

    private protected override void DisposeWorkers() => _runtime.Dispose();
}
