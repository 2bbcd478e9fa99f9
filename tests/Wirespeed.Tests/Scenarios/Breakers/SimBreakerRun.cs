using System;
using System.Collections.Generic;
using System.Diagnostics;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Tests.Scenarios.Breakers;

/// <summary>
/// The simulator in process: packets → ITCH decode → book → breakers → classify, each event in feed order, exactly as
/// the book worker runs them. Deterministic for a given seed (all breaker time is exchange time).
/// </summary>
internal sealed class SimBreakerRun
{
    private readonly MarketEvent[] _events = new MarketEvent[256];
    private BreakerStage<CountingActions> _breakerStage;
    private ClassifyStage<TableRule> _classify;

    public SimBreakerRun(SimulatorOptions sim, BreakerOptions breakers, PriorityOptions? priority = null)
    {
        Simulator = new ExchangeSimulator(sim);
        Feed = new SimFeed(Simulator);
        Decoder = new ItchFeedDecoder();
        int n = sim.Instruments;
        var table = new InstrumentTable(n + 1);
        for (int locate = 1; locate <= n; locate++) table.TrySetSector(locate, Simulator.SectorOf(locate));
        Books = new OrderBookSet(new BookOptions
        {
            MaxInstruments = n + 1,
            MaxLiveOrders = Math.Max(1024, n * sim.MaxLiveOrdersPerInstrument * 2),
            MaxLevelsPerSide = 128,
        }, table);
        Breakers = new BreakerState(breakers with { MaxInstruments = n + 1, MaxSectors = Math.Max(sim.Sectors, 1) }, table);
        _breakerStage = new BreakerStage<CountingActions>(Breakers, Books, new CountingActions());
        Holder = new RuleSetHolder(priority ?? new PriorityOptions { MaxInstruments = n + 1 });
        _classify = new ClassifyStage<TableRule>(Holder, default, Books, table, Breakers);
    }

    public ExchangeSimulator Simulator { get; }
    public SimFeed Feed { get; }
    public ItchFeedDecoder Decoder { get; }
    public OrderBookSet Books { get; }
    public BreakerState Breakers { get; }
    public RuleSetHolder Holder { get; }
    public ClassifyStage<TableRule> Classify => _classify;
    public CountingActions Actions => _breakerStage.Actions;
    public long Events { get; private set; }
    public long WallNs { get; private set; }

    /// <summary>Runs until the simulator ends; <paramref name="observe"/> sees every event after the breakers and classify (may be null).</summary>
    public void RunToEnd(Action<MarketEvent>? observe = null)
    {
        long start = Stopwatch.GetTimestamp();
        var ctx = new StageContext();
        while (!Feed.Ended)
        {
            ReadOnlySpan<byte> packet = Feed.NextPacket();
            if (packet.IsEmpty) continue;
            var info = new PacketInfo(MonoClock.NowNs(), 0, PacketSourceKind.InProcess);
            int count = Decoder.Decode(packet, in info, _events);
            ctx.NowNs = info.ReceiveTimestampNs;
            for (int i = 0; i < count; i++)
            {
                ref var e = ref _events[i];
                Books.Apply(ref e);
                _breakerStage.Process(ref e, in ctx);
                _classify.Process(ref e, in ctx);
                observe?.Invoke(e);
            }
            _classify.EndBatch(in ctx);
            ctx.BatchSequence++;
            Events += count;
        }
        WallNs = (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
    }

    /// <summary>Transitions of one scope and id, oldest first.</summary>
    public List<BreakerTransition> TransitionsOf(BreakerScope scope, int id)
    {
        var list = new List<BreakerTransition>();
        foreach (var t in Breakers.Transitions.Snapshot())
            if (t.Scope == scope && t.Id == id) list.Add(t);
        return list;
    }
}

/// <summary>Counts the breaker callbacks (a reference to shared counters, so copies of the struct agree).</summary>
internal struct CountingActions : IBreakerActions
{
    private readonly long[] _counts;

    public CountingActions() => _counts = new long[2];

    public readonly long CancelAlls => _counts[0];
    public readonly long Alerts => _counts[1];

    public readonly void CancelAll(in BreakerTransition transition) => _counts[0]++;
    public readonly void Alert(in BreakerTransition transition) => _counts[1]++;
}
