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
        _agents = new PatternAgent<BuiltInGroup, TSink, TGate>[plan.Workers];
        _workers = new Worker?[plan.Workers];
        _spacers = new byte[plan.Workers + 1][];
        for (int w = 0; w < plan.Workers; w++)
        {
            // Each worker's objects (emitter, pattern state, filter) are allocated together; the spacer keeps the last
            // object of one worker and the first of the next off a shared cache-line pair, which two threads writing
            // per event would otherwise bounce between cores (measured: up to 40 % of 2-worker throughput, by heap
            // layout). The heap keeps allocation order, also when a start-up collection compacts it.
            _spacers[w] = new byte[2 * CacheLine.PadBytes];
            var emitter = new SignalEmitter<TSink, TGate>(sinkFor(w), gate, plan.Options.Clock, plan.Options.ThrottleUs * 1000,
                                                          plan.Options.Patterns.Count, plan.SequencesOf(w));
            _agents[w] = new PatternAgent<BuiltInGroup, TSink, TGate>(ring.GetConsumer(w), new BuiltInGroup(plan.CreateSets(w)),
                                                                    emitter, plan.Keys, plan.Options.BatchSize, probeFor?.Invoke(w),
                                                                    warmup: warmup);
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
    public Worker? WorkerAt(int w) => _workers[w];

    /// <summary>Starts one pinned worker per agent (idle strategy from <paramref name="idle"/>).</summary>
    public void Start(IdleStrategyOptions idle)
    {
        for (int w = 0; w < _agents.Length; w++)
        {
            int cpu = Plan.Options.Cpus.Count > w ? Plan.Options.Cpus[w] : -1;
            var worker = Worker.Create(new WorkerOptions { Name = $"patterns.{w}", Cpu = cpu, Idle = idle, BatchSize = Plan.Options.BatchSize }, _agents[w]);
            _workers[w] = worker;
            worker.Start();
        }
    }

    /// <summary>Stops every worker (each drains what is in the ring first).</summary>
    public void Stop()
    {
        foreach (var w in _workers) w?.Stop();
    }

    public void Dispose()
    {
        foreach (var w in _workers) w?.Dispose();
    }
}
