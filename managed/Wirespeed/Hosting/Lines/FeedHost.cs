using System;
using System.Collections.Generic;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Core.Pipeline.Topology;
using Wirespeed.Hosting.Detection;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// The feed lines of the process, assembled from configuration: packets → MoldUDP64/ITCH decode → books → breakers → classify → publish
/// → deliver (lanes between the last two under topology split, see <see cref="ChainBuilder.Feed"/>), on the workers the topology
/// names, with the pattern workers reading the publish stage's ring (<see cref="FeedPatterns"/>), measured by a
/// <see cref="RunMonitor"/>. Cold path: everything is reserved here, before the run.
/// </summary>
public sealed class FeedHost : IDisposable
{
    private readonly RunningPipeline _pipeline;
    private readonly List<HotThreadProbe> _probes = new();

    private FeedHost(WirespeedConfig config, MemoryRegistry registry, FeedLine[] lines,
        RunningPipeline pipeline, StageMetrics? oneWay, DeliverCounters deliver, List<HotThreadProbe> probes, List<string> notes, FeedPriority priority,
        FeedPatterns? patterns, JournalRecorder? recorder)
    {
        Recorder = recorder;
        Priority = priority;
        Patterns = patterns;
        Config = config;
        Registry = registry;
        Lines = lines;
        _pipeline = pipeline;
        OneWay = oneWay;
        Deliver = deliver;
        _probes = probes;
        Notes = notes;
        ForeignSessions = new ForeignSessionWatch(lines);
    }

    public WirespeedConfig Config { get; }
    public MemoryRegistry Registry { get; }
    /// <summary>The lines received, in the order of the configuration's lines[]; all on the first worker.</summary>
    public IReadOnlyList<FeedLine> Lines { get; }
    /// <summary>The books of lines[0].</summary>
    public OrderBookSet Books => Lines[0].Books;
    /// <summary>The decoder of lines[0].</summary>
    public ItchFeedDecoder Decoder => Lines[0].Decoder;
    public RunningPipeline Pipeline => _pipeline;
    public StageMetrics? OneWay { get; }
    public DeliverCounters Deliver { get; }
    /// <summary>Circuit breakers, rule sets, lanes (issue 4); shared by the lines (levels are per instrument).</summary>
    public FeedPriority Priority { get; }
    /// <summary>
    /// The clock-health state every line's decoder reads its ClockSuspect flag from and shows its timestamps to; null
    /// when clock.enabled is false. The watcher that publishes it is started by the command (<see cref="FeedHealth"/>).
    /// </summary>
    public ClockHealthState? Clock { get; private init; }
    /// <summary>Pattern detection (issue 5); null when patterns.enabled is false.</summary>
    public FeedPatterns? Patterns { get; }
    /// <summary>The compliance recorder (issue 12); null when recording.directory is empty.</summary>
    public JournalRecorder? Recorder { get; }
    /// <summary>Allocation probes of the hot threads: one per worker that runs a book or deliver stage, then one per pattern worker.</summary>
    public IReadOnlyList<ThreadAllocationProbe> HotThreadProbes
    {
        get
        {
            var list = _probes.ConvertAll(p => p.Probe);
            if (Patterns is not null) list.AddRange(Patterns.Probes);
            return list;
        }
    }

    /// <summary>Says once per line when another sender's MoldUDP64 session arrives on its group (monitor thread).</summary>
    public ForeignSessionWatch ForeignSessions { get; }

    /// <summary>Start-up decisions, one line each (idle strategies, pinning, memory), for the log and the summary.</summary>
    public List<string> Notes { get; }

    /// <summary>The books of line id <paramref name="lineId"/>, or null when this host does not receive it.</summary>
    public OrderBookSet? BooksOfLine(int lineId)
    {
        foreach (var l in Lines) if (l.Config.Id == lineId) return l.Books;
        return null;
    }

    /// <summary>
    /// Builds the line over <paramref name="packets"/>. <paramref name="measureOneWay"/> records exchange-timestamp →
    /// deliver latency (only meaningful when the sender stamps from this machine's realtime clock).
    /// </summary>
    public static FeedHost Create<TPackets>(ResolvedConfig config, MemoryRegistry registry, TPackets packets, int maxDatagramBytes,
        bool measureOneWay, long midnightEpochNs)
        where TPackets : struct, IPacketSource
        => Create(config, registry, [packets], maxDatagramBytes, measureOneWay, midnightEpochNs, static _ => default(NoSignalCallback));

    /// <summary>
    /// As <see cref="Create{TPackets}(ResolvedConfig, MemoryRegistry, TPackets, int, bool, long)"/>, with an in-process
    /// consumer of signals: <paramref name="callbackFor"/> gives pattern worker i its callback, called on that worker's
    /// thread for every delivered signal (a struct: the call is direct; it must not block or allocate).
    /// </summary>
    public static FeedHost Create<TPackets, TCallback>(ResolvedConfig config, MemoryRegistry registry, TPackets packets, int maxDatagramBytes,
        bool measureOneWay, long midnightEpochNs, Func<int, TCallback> callbackFor)
        where TPackets : struct, IPacketSource
        where TCallback : struct, ISignalCallback
        => Create(config, registry, [packets], maxDatagramBytes, measureOneWay, midnightEpochNs, callbackFor);

    /// <summary>
    /// Builds every configured line, <paramref name="packets"/>[i] being the source of config.Lines[i]: each line has its
    /// own decoder (MoldUDP64 session and sequencing) and books; the first worker polls all of them, and each event goes
    /// to its line's stages (<see cref="PerLineStage{TStage}"/>); breakers, priority rules, the pattern ring and deliver
    /// are shared (one thread writes them all). <paramref name="sessionFor"/>, when given, replaces each line's MoldUDP64
    /// session options (replay: sequencing as --sequencing says, no expected session). <paramref name="virtualClock"/>
    /// (replay): the breaker and priority logs are stamped with each event's recorded receive time instead of this
    /// machine's monotonic clock (their decisions run on exchange timestamps either way).
    /// </summary>
    public static FeedHost Create<TPackets, TCallback>(ResolvedConfig resolved, MemoryRegistry registry, TPackets[] packets, int maxDatagramBytes,
        bool measureOneWay, long midnightEpochNs, Func<int, TCallback> callbackFor, Func<LineConfig, MoldSessionOptions>? sessionFor = null,
        bool virtualClock = false)
        where TPackets : struct, IPacketSource
        where TCallback : struct, ISignalCallback
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(packets);
        if (packets.Length != resolved.Config.Lines.Count)
            throw new ArgumentException($"{packets.Length} packet sources for {resolved.Config.Lines.Count} configured lines", nameof(packets));
        return Build(resolved, registry, maxDatagramBytes, measureOneWay, midnightEpochNs, callbackFor, sessionFor, virtualClock,
            (options, lines, probe, priority, patterns, deliver, notes, tap) => lines.Length == 1
                ? OneLineChain(options, packets[0], lines[0], maxDatagramBytes, probe, priority, patterns, deliver, tap)
                : LinesChain(options, new LinesPacketSource<TPackets>(packets), lines, maxDatagramBytes, probe, priority, patterns, deliver, notes, tap));
    }

    /// <summary>
    /// As <see cref="Create{TPackets, TCallback}(ResolvedConfig, MemoryRegistry, TPackets[], int, bool, long, Func{int, TCallback}, Func{LineConfig, MoldSessionOptions}?, bool)"/>
    /// over one source that delivers the datagrams of every configured line, each stamped with its line id, in the order
    /// they are to be decoded (a recording: the order the live worker decoded them, <see cref="PacketInfo.LineId"/> on
    /// each). With several lines the chain is the live run's for several lines (<see cref="LinesChain"/>): the datagrams
    /// are demultiplexed by line id into each line's decoder, book, breaker, classify and publish stage; with one line it
    /// is the one-line chain. Only the source differs from the live run: the live worker's round-robin over the lines'
    /// sockets is replaced by the recorded order.
    /// </summary>
    public static FeedHost CreateOverOneSource<TPackets, TCallback>(ResolvedConfig resolved, MemoryRegistry registry, TPackets packets, int maxDatagramBytes,
        bool measureOneWay, long midnightEpochNs, Func<int, TCallback> callbackFor, Func<LineConfig, MoldSessionOptions>? sessionFor = null,
        bool virtualClock = false)
        where TPackets : struct, IPacketSource
        where TCallback : struct, ISignalCallback
    {
        ArgumentNullException.ThrowIfNull(resolved);
        return Build(resolved, registry, maxDatagramBytes, measureOneWay, midnightEpochNs, callbackFor, sessionFor, virtualClock,
            (options, lines, probe, priority, patterns, deliver, notes, tap) => lines.Length == 1
                ? OneLineChain(options, packets, lines[0], maxDatagramBytes, probe, priority, patterns, deliver, tap)
                : LinesChain(options, packets, lines, maxDatagramBytes, probe, priority, patterns, deliver, notes, tap));
    }

    /// <summary>The chain over the lines' sources: <see cref="OneLineChain"/> or <see cref="LinesChain"/> (cold: called once by <see cref="Build"/>).</summary>
    private delegate RunningPipeline ChainFor<TCallback>(PipelineOptions options, FeedLine[] lines, HotThreadProbe bookProbe, FeedPriority priority,
        FeedPatterns<TCallback>? patterns, DeliverStage deliver, List<string> notes, RecorderTap? tap)
        where TCallback : struct, ISignalCallback;

    /// <summary>Everything but the chain's source: lines, priority, patterns, recorder, deliver; then the chain <paramref name="chain"/> builds over them.</summary>
    private static FeedHost Build<TCallback>(ResolvedConfig resolved, MemoryRegistry registry, int maxDatagramBytes, bool measureOneWay, long midnightEpochNs,
        Func<int, TCallback> callbackFor, Func<LineConfig, MoldSessionOptions>? sessionFor, bool virtualClock, ChainFor<TCallback> chain)
        where TCallback : struct, ISignalCallback
    {
        var config = resolved.Config;
        var notes = new List<string>();
        var clock = config.Clock.Enabled ? new ClockHealthState() : null;
        var lines = CreateLines(config, registry, midnightEpochNs, clock, notes, sessionFor);
        var options = resolved.Pipeline;   // planned for this machine and validated when the file was (ConfigValidator.Resolve)
        notes.AddRange(resolved.PipelineNotes);
        var deliver = new DeliverCounters();
        var oneWay = measureOneWay ? new StageMetrics("one-way", 0) : null;
        var probes = CreateProbes(options);
        var priority = new FeedPriority(resolved.Priority, resolved.Breakers, lines[0].Books, options.Workers.Count > 1, midnightEpochNs, registry, virtualClock);
        FeedPatterns? patterns = null;
        JournalRecorder? recorder = null;
        try
        {
            recorder = FeedRecording.Create(resolved, registry, maxDatagramBytes, midnightEpochNs, notes);
            // The deliver stage's probe is the last worker's, when the topology has a worker of its own for it.
            var deliverStage = new DeliverStage(deliver, oneWay, probes.Count > 1 ? probes[1] : null, priority.Breakers);
            FeedPatterns<TCallback>? typed = config.Patterns.Enabled
                ? FeedPatterns.Create(resolved, lines[0].Books, priority.Breakers, registry, options.Workers, Environment.ProcessorCount, callbackFor, notes)
                : null;
            patterns = typed;
            if (typed is null) notes.Add("patterns: off (patterns.enabled false): the publish stage does nothing");
            var pipeline = chain(options, lines, probes[0], priority, typed, deliverStage, notes, recorder?.Tap);
            notes.Add($"priority: rule set v{priority.RuleSets.Current.Version}, {priority.RuleSets.Current.Rules.Length} rules; breakers {(resolved.Breakers.Enabled ? "on" : "off")}" +
                      (priority.Lanes is null ? "; one worker: lanes are written, nothing reorders" : $"; lanes of {resolved.Priority.LaneCapacity} slots, critical first"));
            return new FeedHost(config, registry, lines, pipeline, oneWay, deliver, probes, notes, priority, patterns, recorder) { Clock = clock };
        }
        catch
        {
            recorder?.Dispose();
            patterns?.Dispose();
            priority.Dispose();
            throw;
        }
    }

    /// <summary>Each configured line's books (pre-faulted when memory.prefault says so) and decoder; one quarantine for all.</summary>
    private static FeedLine[] CreateLines(WirespeedConfig config, MemoryRegistry registry, long midnightEpochNs, ClockHealthState? clock, List<string> notes,
        Func<LineConfig, MoldSessionOptions>? sessionFor)
    {
        var quarantine = new QuarantineRing(config.Quarantine.Capacity, config.Quarantine.MaxBytes);
        var lines = new FeedLine[config.Lines.Count];
        for (int i = 0; i < lines.Length; i++)
        {
            var line = config.Lines[i];
            var books = new OrderBookSet(config.Books.ToOptions("book." + line.Name), null, registry);
            if (config.Memory.Prefault)
                notes.Add($"books {line.Name}: {books.Prefault() / (1 << 20)} MiB pre-faulted (orders {config.Books.MaxOrders:N0}, levels {config.Books.MaxLevelsPerSide} per side x {config.Books.MaxInstruments:N0} instruments)");
            var decoder = new ItchFeedDecoder(new ItchFeedOptions
            {
                MidnightEpochNs = midnightEpochNs,
                // A configured session is enforced (nothing else is ever adopted); without one the first session seen is
                // adopted, and a line that joins mid-session adopts the first sequence it sees.
                Session = sessionFor?.Invoke(line) ?? line.ToSessionOptions(),
                Clock = clock,
            }, quarantine);
            lines[i] = new FeedLine(line, books, decoder);
        }
        return lines;
    }

    /// <summary>Allocation probes: the first worker's (it runs the book stage), and the last's when there are several (deliver).</summary>
    private static List<HotThreadProbe> CreateProbes(PipelineOptions options)
    {
        var probes = new List<HotThreadProbe> { new("worker." + options.Workers[0].Name) };
        if (options.Workers.Count > 1) probes.Add(new HotThreadProbe("worker." + options.Workers[^1].Name));
        return probes;
    }

    /// <summary>One line: its decoder straight over its packets, its stages unwrapped.</summary>
    private static RunningPipeline OneLineChain<TPackets, TCallback>(PipelineOptions options, TPackets packets, FeedLine line, int maxDatagramBytes,
        HotThreadProbe bookProbe, FeedPriority priority, FeedPatterns<TCallback>? patterns, DeliverStage deliver, RecorderTap? tap)
        where TPackets : struct, IPacketSource
        where TCallback : struct, ISignalCallback
    {
        var decoder = new ItchPacketDecoder(line.Decoder, maxDatagramBytes);
        // Recording puts the tap in front of the decoder, and tells it where batches end (a dry poll: RecordingPackets);
        // without it the chain is exactly what it was (nothing to pay).
        if (tap is not null)
            return Chain(options, new PacketBatchSource<RecordingPackets<TPackets>, RecordingDecoder<ItchPacketDecoder>>(new(packets, tap), new(decoder, tap)), new BookStage(line.Books, bookProbe),
                priority.BreakerStage(line.Books), priority.Classify, patterns is null ? default : patterns.PublishStage, patterns, deliver, priority);
        var source = new PacketBatchSource<TPackets, ItchPacketDecoder>(packets, decoder);
        return Chain(options, source, new BookStage(line.Books, bookProbe), priority.BreakerStage(line.Books), priority.Classify,
            patterns is null ? default : patterns.PublishStage, patterns, deliver, priority);
    }

    /// <summary>
    /// Several lines on the first worker: one source delivers them all (live: <see cref="LinesPacketSource{TPackets}"/>
    /// over the lines' sockets; replay: the recording), each datagram is decoded by its line's decoder and each event goes
    /// to its line's book, breaker, classify and publish stage (<see cref="PerLineStage{TStage}"/>, chosen by the line id).
    /// </summary>
    private static RunningPipeline LinesChain<TSource, TCallback>(PipelineOptions options, TSource source, FeedLine[] lines, int maxDatagramBytes,
        HotThreadProbe bookProbe, FeedPriority priority, FeedPatterns<TCallback>? patterns, DeliverStage deliver, List<string> notes, RecorderTap? tap)
        where TSource : struct, IPacketSource
        where TCallback : struct, ISignalCallback
    {
        var ids = new byte[lines.Length];
        var decoders = new ItchPacketDecoder[lines.Length];
        var books = new BookStage[lines.Length];
        var breakerStages = new BreakerStage<CountingBreakerActions>[lines.Length];
        var classify = new ClassifyStage<TableRule>[lines.Length];
        var publish = new TopOfBookPublishStage[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            ids[i] = (byte)lines[i].Config.Id;
            decoders[i] = new ItchPacketDecoder(lines[i].Decoder, maxDatagramBytes);
            books[i] = new BookStage(lines[i].Books, i == 0 ? bookProbe : null);   // one probe per thread: the first line's
            breakerStages[i] = priority.BreakerStage(lines[i].Books);
            classify[i] = i == 0 ? priority.Classify : priority.ClassifyFor(lines[i].Books);
            if (patterns is not null) publish[i] = i == 0 ? patterns.PublishStage : patterns.PublishFor(lines[i].Books);
        }
        var index = new LineIndex(ids);
        var linesDecoder = new ItchLinesDecoder(index, decoders);
        var pipeline = tap is not null
            ? Chain(options, new PacketBatchSource<RecordingPackets<TSource>, RecordingDecoder<ItchLinesDecoder>>(new(source, tap), new(linesDecoder, tap)),
                new PerLineStage<BookStage>(index, books), new PerLineStage<BreakerStage<CountingBreakerActions>>(index, breakerStages),
                new PerLineStage<ClassifyStage<TableRule>>(index, classify), new PerLineStage<TopOfBookPublishStage>(index, publish), patterns, deliver, priority)
            : Chain(options, new PacketBatchSource<TSource, ItchLinesDecoder>(source, linesDecoder),
                new PerLineStage<BookStage>(index, books), new PerLineStage<BreakerStage<CountingBreakerActions>>(index, breakerStages),
                new PerLineStage<ClassifyStage<TableRule>>(index, classify), new PerLineStage<TopOfBookPublishStage>(index, publish), patterns, deliver, priority);
        notes.Add($"lines: {lines.Length} ({string.Join(", ", Array.ConvertAll(lines, l => $"{l.Config.Name} id {l.Config.Id}"))}) received by worker '{options.Workers[0].Name}', " +
                  "each with its own MoldUDP64 sequencing and books; breakers, priority rules and the pattern ring are shared (instrument = stock locate on every line)");
        return pipeline;
    }

    /// <summary>The feed chain with the publish stage the patterns call for: none (patterns off), publish then detect (inline), or publish.</summary>
    private static RunningPipeline Chain<TSource, TBook, TBreakers, TClassify, TPublish, TCallback>(PipelineOptions options, TSource source,
        TBook book, TBreakers breakers, TClassify classify, TPublish publish, FeedPatterns<TCallback>? patterns, DeliverStage deliver, FeedPriority priority)
        where TSource : struct, IBatchSource
        where TBook : struct, IStage
        where TBreakers : struct, IStage
        where TClassify : struct, IStage
        where TPublish : struct, IStage
        where TCallback : struct, ISignalCallback
        => patterns is null
            ? ChainBuilder.Feed(options, source, book, breakers, classify, new NoPublishStage(), deliver, priority.Lanes, priority.Scheduler)
            : patterns.Inline
                ? ChainBuilder.Feed(options, source, book, breakers, classify, patterns.InlineOver(publish), deliver, priority.Lanes, priority.Scheduler)
                : ChainBuilder.Feed(options, source, book, breakers, classify, publish, deliver, priority.Lanes, priority.Scheduler);

    /// <summary>Registers every histogram and probe with the monitor (before <see cref="RunMonitor.Start"/>).</summary>
    public void Register(RunMonitor monitor)
    {
        if (_pipeline.SourceStage is { } src) monitor.Add(src.Metrics);
        foreach (var s in _pipeline.Stages) monitor.Add(s.Metrics);
        foreach (var s in _pipeline.LinkStages) monitor.Add(s.Metrics);
        if (OneWay is not null) monitor.Add(OneWay);
        for (int i = 0; i < _pipeline.Runners.Count; i++)
            monitor.Add(_pipeline.Runners[i].ServiceTime, i == 0 ? StageRole.Service : StageRole.Stage);
        monitor.Add(_pipeline.EndToEnd, StageRole.EndToEnd);
        foreach (var p in _probes) monitor.AddProbe(p.Probe);
        Patterns?.Register(monitor);
    }

    /// <summary>
    /// Starts the workers (pinned, idle strategies as planned) and notes how each started: the pattern workers first,
    /// so that every reader of the top-of-book ring is polling before the book worker publishes.
    /// </summary>
    public void Start()
    {
        Recorder?.Start();   // first: its ring is drained before the receiving worker publishes into it
        Patterns?.Start();
        _pipeline.Start();
        Notes.AddRange(_pipeline.DescribeWorkers());
        if (Patterns is not null) Notes.AddRange(Patterns.DescribeWorkers());
    }

    /// <summary>Warm-up is over: allocation on the hot threads counts from the next batch.</summary>
    public void EndWarmup()
    {
        foreach (var p in _probes) p.Open();
        Patterns?.EndWarmup();
    }

    /// <summary>Events delivered to the last stage so far.</summary>
    public long Delivered => System.Threading.Volatile.Read(ref Deliver.Events);

    /// <summary>Messages the decoders delivered (all types, all lines), from any thread: advisory while the worker runs.</summary>
    public long DecodedMessages
    {
        get
        {
            long n = 0;
            foreach (var l in Lines) n += System.Threading.Volatile.Read(ref l.Decoder.Counters.Messages);
            return n;
        }
    }

    /// <summary>MoldUDP64 packets received, all lines.</summary>
    public long PacketsReceived => Sum(l => l.Decoder.MoldCounters.Packets);

    /// <summary>Messages missing in sequence gaps, all lines.</summary>
    public long GapMessages => Sum(l => l.Decoder.MoldCounters.GapMessages);

    /// <summary>Malformed input, each cause once, all lines.</summary>
    public long Malformed => Sum(l => FeedReport.MalformedTotal(l.Decoder.MoldCounters, l.Decoder.Counters));

    private long Sum(Func<FeedLine, long> figure)
    {
        long n = 0;
        foreach (var l in Lines) n += figure(l);
        return n;
    }

    /// <summary>
    /// Stops the workers in order, each draining into the next: the pipeline first (the book worker publishes its
    /// last events), then the pattern workers (they drain the ring), then the signal journals are flushed.
    /// </summary>
    public void Stop()
    {
        try
        {
            _pipeline.Stop();
        }
        finally
        {
            Recorder?.Stop();     // drains what the receiving worker recorded, closes the segment (synced)
            Patterns?.Stop();
        }
    }

    /// <summary>
    /// Cold: waits until the receiver decoded <paramref name="sent"/> messages, or 500 ms pass without progress (lost
    /// packets never arrive). Used by demo and soak after their simulator stops.
    /// </summary>
    public void WaitUntilDecoded(long sent)
    {
        long idleSince = MonoClock.NowNs(), seen = -1;
        while (DecodedMessages < sent)
        {
            long now = MonoClock.NowNs();
            long d = DecodedMessages;
            if (d != seen) { seen = d; idleSince = now; }
            else if (now - idleSince > 500_000_000) break;
            System.Threading.Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        Patterns?.Dispose();  // pattern workers, journals, then the ring's arena: after the book worker (its producer) is gone
        Priority.Dispose();   // lane rings: after the workers are gone
        Recorder?.Dispose();  // the ring's arena: after the receiving worker (its producer) is gone
    }
}
