using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// Counters of one pattern worker, written by that worker only (plain stores), read approximately by the monitor.
/// The fields sit a full pad (<see cref="CacheLine.PadBytes"/>) from either end of the object: the workers' counters
/// are allocated one after another, and two workers' per-event stores on one line pair stall each other (measured
/// before the runtime also spaced each worker's objects: 2-worker throughput 1.45× → 1.69×).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 2 * CacheLine.PadBytes + 16)]
public sealed class PatternWorkerCounters
{
    /// <summary>Ring slots passed, routed to this worker or not.</summary>
    [FieldOffset(CacheLine.PadBytes)] public long Seen;
    /// <summary>Events whose key is in the worker's filter (evaluated by its patterns).</summary>
    [FieldOffset(CacheLine.PadBytes + 8)] public long Evaluated;
}

/// <summary>
/// A pattern worker's agent: drains its own cursor of the top-of-book broadcast ring, taking only the events the publish
/// stage routed to it (<see cref="PatternRoutes"/>), checks each against its filter bitmap (a producer that does not
/// route sends everything to everyone), and hands them to its pattern group. Everything it touches is owned by
/// this worker: no locks, no shared mutable state. Run by a <see cref="Worker"/> (pinned thread) or driven directly.
/// </summary>
public struct PatternAgent<TGroup, TSink, TGate> : IAgent
    where TGroup : struct, IPatternGroup
    where TSink : struct, ISignalSink
    where TGate : struct, ISignalGate
{
    private readonly SpmcBroadcast<MarketEvent>.Consumer _consumer;
    private readonly int _batch;
    private readonly ThreadAllocationProbe? _probe;
    private readonly long _warmupEvents;
    private readonly WarmupGate? _warmup;
    private Handler _handler;   // mutable struct: never readonly

    /// <remarks>warmupEvents: Events after which probe is marked (allocation counting starts). warmup: when given, the
    /// probe is marked at the first batch after the gate opens instead (the host decides when warm-up ends).</remarks>
    public PatternAgent(SpmcBroadcast<MarketEvent>.Consumer consumer, TGroup group, SignalEmitter<TSink, TGate> emitter,
                        KeySpace keys, int batchSize, ThreadAllocationProbe? probe = null, long warmupEvents = 10_000,
                        WarmupGate? warmup = null)
    {
        if (!consumer.Routable)
            throw new System.ArgumentException($"consumer {consumer.Index}: pattern workers are routed to by a 64-bit mask; use at most {PatternRoutes.MaxWorkers} workers", nameof(consumer));
        _consumer = consumer;
        _batch = batchSize;
        _probe = probe;
        _warmupEvents = warmupEvents;
        _warmup = warmup;
        var filter = new ulong[(keys.Size + 63) / 64];
        group.MarkSubscriptions(filter);
        _handler = new Handler(group, emitter, keys, filter, new PatternWorkerCounters());
    }

    /// <summary>The worker's subscription filter (bit key set when its patterns read that key); start-up reads it to build the routes.</summary>
    public ulong[] Filter => _handler.Filter;

    public PatternWorkerCounters Counters => _handler.Counters;
    public SignalEmitter<TSink, TGate> Emitter => _handler.Emitter;

    /// <summary>True when the worker evaluates events of (line, instrument).</summary>
    public bool Subscribes(byte line, int instrument)
    {
        int key = _handler.Keys.KeyOf(line, instrument);
        return key >= 0 && (_handler.Filter[key >> 6] & (1UL << (key & 63))) != 0;
    }

    public void OnStart() { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DoWork()
    {
        int n = _consumer.PollRouted(ref _handler, _batch);
        if (n == 0) return 0;
        _handler.Counters.Seen += n;
        if (_probe != null)
        {
            if (!_probe.IsMarked) { if (_warmup?.IsOpen ?? _handler.Counters.Seen >= _warmupEvents) _probe.Mark(); }
            else _probe.Publish();
        }
        return n;
    }

    public void OnClose() => _probe?.Publish();

    private readonly struct Handler : IRoutedRingHandler<MarketEvent>
    {
        private readonly TGroup _group;
        public readonly SignalEmitter<TSink, TGate> Emitter;
        public readonly KeySpace Keys;
        public readonly ulong[] Filter;
        public readonly PatternWorkerCounters Counters;   // padded, owned by this worker: written per event without sharing a line

        public Handler(TGroup group, SignalEmitter<TSink, TGate> emitter, KeySpace keys, ulong[] filter, PatternWorkerCounters counters)
        {
            _group = group;
            Emitter = emitter;
            Keys = keys;
            Filter = filter;
            Counters = counters;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void OnItem(ref MarketEvent item, long sequence)
        {
            int key = Keys.KeyOf(item.LineId, item.Instrument);
            if (key < 0 || (Filter[key >> 6] & (1UL << (key & 63))) == 0) return;
            Counters.Evaluated++;
            Emitter.Position = sequence;
            _group.OnEvent(ref item, key, Emitter);
        }
    }
}

/// <summary>
/// Start-up wiring of the pattern stage: the plan, one emitter and one agent per worker over one broadcast ring.
/// <see cref="Start"/> runs each agent on a <see cref="Worker"/> pinned to its configured CPU.
/// </summary>
public sealed class PatternRuntime<TSink, TGate> : System.IDisposable
    where TSink : struct, ISignalSink
    where TGate : struct, ISignalGate
{
    private readonly PatternAgent<BuiltInGroup, TSink, TGate>[] _agents;
    private readonly Worker?[] _workers;
    private readonly byte[][] _spacers;
    private readonly SpmcBroadcast<MarketEvent> _ring;
    private readonly System.Func<int, TSink> _sinkFor;
    private readonly TGate _gate;
    private readonly System.Func<int, ThreadAllocationProbe?>? _probeFor;
    private readonly WarmupGate? _warmup;
    private readonly FaultInjection?[] _injections;
    private readonly System.Collections.Generic.List<SignalEmitter<TSink, TGate>>[] _retiredEmitters;
    private readonly long[] _retiredSeen, _retiredEvaluated, _gapSlots, _restarts;
    private IdleStrategyOptions _idle = new();

    /// <remarks>ring: the broadcast ring the publish stage writes, with one consumer per worker. sinkFor: the sink of
    /// worker i (each worker its own: no sharing). probeFor: optional allocation probe per worker. warmup: when given,
    /// the probes are marked once it opens (else after 10,000 events).</remarks>
    public PatternRuntime(PatternPlan plan, SpmcBroadcast<MarketEvent> ring, System.Func<int, TSink> sinkFor, TGate gate,
                          System.Func<int, ThreadAllocationProbe?>? probeFor = null, WarmupGate? warmup = null)
    {
        System.ArgumentNullException.ThrowIfNull(plan);
        System.ArgumentNullException.ThrowIfNull(ring);
        if (ring.ConsumerCount != plan.Workers)
            throw new PatternConfigException([$"patterns.workers: {plan.Workers} workers but the broadcast ring has {ring.ConsumerCount} consumers"]);
        Plan = plan;
        _ring = ring;
        _sinkFor = sinkFor;
        _gate = gate;
        _probeFor = probeFor;
        _warmup = warmup;
        _agents = new PatternAgent<BuiltInGroup, TSink, TGate>[plan.Workers];
        _workers = new Worker?[plan.Workers];
        _spacers = new byte[plan.Workers + 1][];
        _injections = new FaultInjection?[plan.Workers];
        _retiredEmitters = new System.Collections.Generic.List<SignalEmitter<TSink, TGate>>[plan.Workers];
        _retiredSeen = new long[plan.Workers];
        _retiredEvaluated = new long[plan.Workers];
        _gapSlots = new long[plan.Workers];
        _restarts = new long[plan.Workers];
        for (int w = 0; w < plan.Workers; w++)
        {
            // Each worker's objects (emitter, pattern state, filter) are allocated together; the spacer keeps the last
            // object of one worker and the first of the next off a shared cache-line pair, which two threads writing
            // per event would otherwise bounce between cores (measured: up to 40 % of 2-worker throughput, by heap
            // layout). The heap keeps allocation order, also when a start-up collection compacts it.
            _spacers[w] = new byte[2 * CacheLine.PadBytes];
            _agents[w] = CreateAgent(w);
            _retiredEmitters[w] = new();
        }
        _spacers[plan.Workers] = new byte[2 * CacheLine.PadBytes];
        var filters = new ulong[plan.Workers][];
        for (int w = 0; w < plan.Workers; w++) filters[w] = _agents[w].Filter;
        Routes = PatternRoutes.FromFilters(plan.Keys, filters);
    }

    /// <summary>Which workers read each key: give it to the publish stage so that each worker is handed only its events.</summary>
    public PatternRoutes Routes { get; }

    public PatternPlan Plan { get; }
    public int Workers => _agents.Length;

    /// <summary>Agent of worker <paramref name="w"/>: drive it directly (tests, single-threaded replay) instead of <see cref="Start"/>.</summary>
    public ref PatternAgent<BuiltInGroup, TSink, TGate> Agent(int w) => ref _agents[w];

    /// <summary>The running worker thread of <paramref name="w"/> (null before <see cref="Start"/>).</summary>
    public Worker? WorkerAt(int w) => System.Threading.Volatile.Read(ref _workers[w]);   // acquire; pairs with StartWorker

    /// <summary>Starts one pinned worker per agent (idle strategy from <paramref name="idle"/>).</summary>
    public void Start(IdleStrategyOptions idle)
    {
        _idle = idle;
        for (int w = 0; w < _agents.Length; w++) StartWorker(w);
    }

    /// <summary>Test hook: worker <paramref name="w"/> runs behind <paramref name="injection"/> (set before <see cref="Start"/>).</summary>
    public void Inject(int w, FaultInjection injection) => _injections[w] = injection;

    /// <summary>Ring slots worker <paramref name="w"/>'s restarts skipped (its gap: events it never evaluated).</summary>
    public long GapSlots(int w) => System.Threading.Volatile.Read(ref _gapSlots[w]);

    /// <summary>Restarts of worker <paramref name="w"/>.</summary>
    public long Restarts(int w) => System.Threading.Volatile.Read(ref _restarts[w]);

    /// <summary>Ring slots waiting for worker <paramref name="w"/> (published, not yet passed by its cursor).</summary>
    public long Backlog(int w) => _ring.GetConsumer(w).Count;

    /// <summary>Worker <paramref name="w"/>'s counters, its replaced agents' included (a snapshot; cold path).</summary>
    public PatternWorkerCounters CountersOf(int w)
    {
        var now = _agents[w].Counters;
        return new PatternWorkerCounters { Seen = _retiredSeen[w] + now.Seen, Evaluated = _retiredEvaluated[w] + now.Evaluated };
    }

    /// <summary>Signals of pattern id <paramref name="patternId"/> on worker <paramref name="w"/>, its replaced emitters' included.</summary>
    public PatternSignalCounts CountsOf(int w, int patternId)
    {
        var c = _agents[w].Emitter.CountsOf(patternId);
        foreach (var old in _retiredEmitters[w])
        {
            var o = old.CountsOf(patternId);
            c = new PatternSignalCounts(c.Detected + o.Detected, c.Delivered + o.Delivered, c.Suppressed + o.Suppressed, c.Throttled + o.Throttled);
        }
        return c;
    }

    /// <summary>Signals detected of <paramref name="kind"/>, every worker, replaced emitters included.</summary>
    public long DetectedOf(PatternKind kind)
    {
        long n = 0;
        for (int w = 0; w < _agents.Length; w++)
        {
            n += _agents[w].Emitter.DetectedOf(kind);
            foreach (var old in _retiredEmitters[w]) n += old.DetectedOf(kind);
        }
        return n;
    }

    /// <summary>
    /// Replaces worker <paramref name="w"/> (cold path, supervisor thread) from consistent state: the old thread is asked
    /// to stop and must end within <paramref name="graceMs"/> (a thread still inside a duty cycle owns its ring cursor
    /// and its pattern state, so it cannot be replaced safely: the reason is returned and the caller fails the process);
    /// then its pattern state is dropped, a new agent is built from the plan (empty windows: every built-in pattern
    /// stays silent until its own window, history or count is filled again, so nothing is signalled from half a
    /// history), its cursor skips to the ring's current position (the skipped slots are counted in
    /// <see cref="GapSlots"/>), and a new thread starts. Returns null when done.
    /// </summary>
    public string? Restart(int w, int graceMs)
    {
        Worker? old = _workers[w];
        if (old is null) return "the worker was never started";
        old.RequestStop();
        if (!old.WaitEnded(System.TimeSpan.FromMilliseconds(graceMs)))
            return $"its thread did not end within {graceMs} ms of the stop request (still inside a duty cycle, owning its ring cursor and pattern state)";
        ref var agent = ref _agents[w];
        _retiredEmitters[w].Add(agent.Emitter);
        _retiredSeen[w] += agent.Counters.Seen;
        _retiredEvaluated[w] += agent.Counters.Evaluated;
        long gap = _ring.GetConsumer(w).SkipToPublished();
        System.Threading.Volatile.Write(ref _gapSlots[w], _gapSlots[w] + gap);   // read by reports on other threads
        _agents[w] = CreateAgent(w);
        old.Dispose();
        System.Threading.Volatile.Write(ref _restarts[w], _restarts[w] + 1);
        StartWorker(w);
        return null;
    }

    private PatternAgent<BuiltInGroup, TSink, TGate> CreateAgent(int w)
    {
        var emitter = new SignalEmitter<TSink, TGate>(_sinkFor(w), _gate, Plan.Options.Clock, Plan.Options.ThrottleUs * 1000,
                                                      Plan.Options.Patterns.Count, Plan.SequencesOf(w));
        return new PatternAgent<BuiltInGroup, TSink, TGate>(_ring.GetConsumer(w), new BuiltInGroup(Plan.CreateSets(w)),
                                                            emitter, Plan.Keys, Plan.Options.BatchSize, _probeFor?.Invoke(w),
                                                            warmup: _warmup);
    }

    private void StartWorker(int w)
    {
        int cpu = Plan.Options.Cpus.Count > w ? Plan.Options.Cpus[w] : -1;
        var options = new WorkerOptions { Name = $"patterns.{w}", Cpu = cpu, Idle = _idle, BatchSize = Plan.Options.BatchSize };
        // A restarted worker runs the plain agent: the injected fault fires once.
        var worker = _injections[w] is { Fired: false } injection
            ? Worker.Create(options, new InjectedFaultAgent<PatternAgent<BuiltInGroup, TSink, TGate>>(_agents[w], injection))
            : Worker.Create(options, _agents[w]);
        System.Threading.Volatile.Write(ref _workers[w], worker);   // release; the supervisor and reports read it from other threads
        worker.Start();
    }

    /// <summary>Stops every worker (each drains what is in the ring first), then throws the first fault, if any.</summary>
    public void Stop()
    {
        WorkerFaultException? first = null;
        foreach (var w in _workers)
        {
            try { w?.Stop(); }
            catch (WorkerFaultException e) { first ??= e; }   // the others still stop and drain
        }
        if (first is not null) throw first;
    }

    public void Dispose()
    {
        foreach (var w in _workers) w?.Dispose();
    }
}
