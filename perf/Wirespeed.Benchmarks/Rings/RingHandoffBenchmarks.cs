using System;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Rings;

namespace Wirespeed.Benchmarks.Rings;

/// <summary>
/// Service cost of the ring protocols on one thread (no cross-core traffic): claim, write one 64-byte event, publish,
/// poll. Per item (one publish and one poll each) and per batch of 64 (one publish, one poll of 64). The cross-thread
/// hand-off latency belongs to the latency harness, not here. Allocated bytes must read 0.
/// </summary>
[MemoryDiagnoser]
public class RingHandoffBenchmarks
{
    private const int Capacity = 1024;
    private const int Batch = 64;

    private MemoryRegistry _registry = null!;
    private Arena _arena = null!;
    private SpscRing<MarketEvent> _spsc = null!;
    private SpmcBroadcast<MarketEvent> _broadcast = null!;
    private SpmcBroadcast<MarketEvent>.Consumer _c0 = null!;
    private SpmcBroadcast<MarketEvent>.Consumer _c1 = null!;
    private SumHandler _handler;
    private long _seq;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new MemoryRegistry(0);
        _arena = Arena.Create("arena.bench", new ArenaOptions { SizeBytes = 4 << 20 }, _registry);
        _spsc = RingFactory.CreateSpsc<MarketEvent>(_arena, "ring.bench.spsc", Capacity, _registry, out _);
        _broadcast = RingFactory.CreateBroadcast<MarketEvent>(_arena, "ring.bench.broadcast", Capacity, 2, _registry, out _);
        _c0 = _broadcast.GetConsumer(0);
        _c1 = _broadcast.GetConsumer(1);
        Console.WriteLine($"// arena: {_arena.Backing}; {_arena.PageReason}; {_arena.LockReason}");
    }

    [GlobalCleanup]
    public void Cleanup() => _arena.Dispose();

    [Benchmark(Baseline = true, Description = "SPSC claim+write+publish+poll, 1 item")]
    public long SpscPerItem()
    {
        if (_spsc.TryClaim(out long seq)) Fill(ref _spsc[seq]);
        _spsc.Publish();
        _spsc.Poll(ref _handler, 1);
        return _handler.Sum;
    }

    [Benchmark(Description = "SPSC claim+write x64, 1 publish, 1 poll of 64")]
    public long SpscBatch64()
    {
        for (int i = 0; i < Batch; i++)
            if (_spsc.TryClaim(out long seq)) Fill(ref _spsc[seq]);
        _spsc.Publish();
        _spsc.Poll(ref _handler, Batch);
        return _handler.Sum;
    }

    [Benchmark(Description = "Broadcast (2 consumers) claim+write+publish+2 polls, 1 item")]
    public long BroadcastPerItem()
    {
        if (_broadcast.TryClaim(out long seq)) Fill(ref _broadcast[seq]);
        _broadcast.Publish();
        _c0.Poll(ref _handler, 1);
        _c1.Poll(ref _handler, 1);
        return _handler.Sum;
    }

    [Benchmark(Description = "Broadcast (2 consumers) claim+write x64, 1 publish, 2 polls of 64")]
    public long BroadcastBatch64()
    {
        for (int i = 0; i < Batch; i++)
            if (_broadcast.TryClaim(out long seq)) Fill(ref _broadcast[seq]);
        _broadcast.Publish();
        _c0.Poll(ref _handler, Batch);
        _c1.Poll(ref _handler, Batch);
        return _handler.Sum;
    }

    private void Fill(ref MarketEvent e)
    {
        long s = _seq++;
        e.Sequence = (ulong)s;
        e.OrderId = (ulong)s * 7;
        e.Price = 1_000_000 + (s & 1023);
        e.Quantity = 100;
    }

    private struct SumHandler : IRingHandler<MarketEvent>
    {
        public long Sum;
        public void OnItem(ref MarketEvent item) => Sum += item.Price;
    }
}
