using System;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Time;

namespace Wirespeed.Tests.Core.Pipeline;

/// <summary>Makes events 1..limit (Sequence), stamped with the receive time they are made at, up to perFill a time.</summary>
internal struct GeneratorSource : IBatchSource
{
    private readonly long _limit;
    private readonly int _perFill;
    private readonly long _receiveAgeNs;
    private long _next;

    public GeneratorSource(long limit, int perFill = int.MaxValue, long receiveAgeNs = 0)
    {
        _limit = limit;
        _perFill = perFill;
        _receiveAgeNs = receiveAgeNs;
        _next = 1;
    }

    public readonly long Produced => _next - 1;

    public int Fill(MarketEvent[] batch)
    {
        int n = (int)Math.Min(Math.Min(batch.Length, _perFill), _limit - _next + 1);
        if (n <= 0) return 0;
        long now = MonoClock.NowNs() - _receiveAgeNs;
        for (int i = 0; i < n; i++)
        {
            ref MarketEvent e = ref batch[i];
            e = default;
            e.Sequence = (ulong)_next++;
            e.Kind = EventKind.AddOrder;
            e.Instrument = (int)(e.Sequence % 7);
            e.Price = (long)e.Sequence * 100;
            e.ReceiveTimestampNs = now;
        }
        return n;
    }
}

/// <summary>Mixes a salt into Aux so the output shows which stages ran, in which order.</summary>
internal struct StampStage : IStage
{
    private readonly ulong _salt;

    public StampStage(ulong salt) => _salt = salt;

    public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        evt.Aux = evt.Aux * 31 + _salt + evt.Sequence;
        return Verdict.Continue;
    }

    public readonly void EndBatch(in StageContext ctx) { }
}

/// <summary>Drops events whose sequence is a multiple of k; quarantines those whose sequence is a multiple of q.</summary>
internal struct DropEveryKthStage : IStage
{
    private readonly ulong _k;
    private readonly ulong _q;

    public DropEveryKthStage(ulong k, ulong q = 0)
    {
        _k = k;
        _q = q;
    }

    public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        if (_k != 0 && evt.Sequence % _k == 0) return Verdict.Drop;
        if (_q != 0 && evt.Sequence % _q == 0) return Verdict.Quarantine;
        return Verdict.Continue;
    }

    public readonly void EndBatch(in StageContext ctx) { }
}

/// <summary>Where <see cref="CollectStage"/> writes: preallocated, count published once per batch.</summary>
internal sealed class Collector
{
    public readonly ulong[] Sequences;
    public readonly ulong[] Aux;
    public int Written;    // worker-private cursor
    private int _count;

    public Collector(int capacity)
    {
        Sequences = new ulong[capacity];
        Aux = new ulong[capacity];
    }

    public int Count => Volatile.Read(ref _count);

    public void Publish() => Volatile.Write(ref _count, Written); // release; pairs with Volatile.Read in Count

    /// <summary>Test thread: waits until <paramref name="expected"/> items arrived; false on timeout.</summary>
    public bool WaitFor(int expected, int timeoutMs = 20_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (Count < expected)
        {
            if (Environment.TickCount64 > deadline) return false;
            Thread.Sleep(1);
        }
        return true;
    }
}

/// <summary>Records every event it sees into a <see cref="Collector"/>.</summary>
internal struct CollectStage : IStage
{
    private readonly Collector _into;

    public CollectStage(Collector into) => _into = into;

    public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        int i = _into.Written;
        if ((uint)i < (uint)_into.Sequences.Length)
        {
            _into.Sequences[i] = evt.Sequence;
            _into.Aux[i] = evt.Aux;
            _into.Written = i + 1;
        }
        return Verdict.Continue;
    }

    public readonly void EndBatch(in StageContext ctx) => _into.Publish();
}

/// <summary>Burns <c>spinNs</c> per batch, measured from the start of its pass: a deliberately slow stage.</summary>
internal struct SpinStage : IStage
{
    private readonly long _spinNs;

    public SpinStage(long spinNs) => _spinNs = spinNs;

    public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx) => Verdict.Continue;

    public readonly void EndBatch(in StageContext ctx)
    {
        long until = ctx.NowNs + _spinNs;
        while (MonoClock.NowNs() < until) Thread.SpinWait(1);
    }
}

/// <summary>Throws on one sequence: a programmer error inside a stage, to test fault reporting.</summary>
internal struct ThrowOnSequenceStage : IStage
{
    private readonly ulong _sequence;

    public ThrowOnSequenceStage(ulong sequence) => _sequence = sequence;

    public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx)
        => evt.Sequence == _sequence ? throw new InvalidOperationException($"test bug at sequence {_sequence}") : Verdict.Continue;

    public readonly void EndBatch(in StageContext ctx) { }
}

/// <summary>What <see cref="AllocationProbeStage"/> measured on its worker thread.</summary>
internal sealed class AllocationProbe
{
    public readonly long WarmupEvents;
    public long Seen;
    public long Baseline = -1;
    public long Last;
    public long EventsAfterBaseline;
    public int ThreadId;

    public AllocationProbe(long warmupEvents) => WarmupEvents = warmupEvents;

    public long AllocatedAfterWarmup => Volatile.Read(ref Last) - Volatile.Read(ref Baseline);
}

/// <summary>Reads GC.GetAllocatedBytesForCurrentThread on the worker thread at the end of every batch.</summary>
internal struct AllocationProbeStage : IStage
{
    private readonly AllocationProbe _probe;

    public AllocationProbeStage(AllocationProbe probe) => _probe = probe;

    public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx) => Verdict.Continue;

    public readonly void EndBatch(in StageContext ctx)
    {
        var p = _probe;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        p.ThreadId = Environment.CurrentManagedThreadId;
        if (p.Baseline < 0)
        {
            p.Seen += ctx.BatchCount;
            if (p.Seen >= p.WarmupEvents) Volatile.Write(ref p.Baseline, allocated);
        }
        else p.EventsAfterBaseline += ctx.BatchCount;
        Volatile.Write(ref p.Last, allocated);
    }
}
