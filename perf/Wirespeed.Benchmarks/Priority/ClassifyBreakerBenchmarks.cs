using System;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Benchmarks.Priority;

/// <summary>
/// Cost per event of classification (default rule table plus dynamic adjustment) and of breaker evaluation (all five
/// detectors, scopes), on 500k simulator events already applied to the books (the breakers read the top of book on
/// top-of-book changes). Each invocation replays the events shifted later by the recording's span, so exchange time
/// keeps moving forward as in a live session. Target: ≤ 30 ns/event for both together, 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class ClassifyBreakerBenchmarks
{
    private const int EventCount = 500_000;

    private MarketEvent[] _events = [];
    private long _spanNs;
    private long _offset;
    private ClassifyStage<TableRule> _classify;
    private BreakerStage<NoBreakerActions> _breakers;

    [Params(SimScenario.Normal, SimScenario.FlashCrash)]
    public SimScenario Scenario { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sim = new SimulatorOptions { Seed = 9, Scenario = Scenario, VolatilityPerSqrtSecond = 0.005 };
        (MarketEvent[] events, OrderBookSet books, InstrumentTable table, long span) = PriorityBenchEvents.Generate(sim, EventCount);
        _events = events;
        _spanNs = span;
        var state = new BreakerState(new BreakerOptions { MaxInstruments = table.Capacity, MaxSectors = 8 }, table);
        _breakers = new BreakerStage<NoBreakerActions>(state, books, default);
        _classify = new ClassifyStage<TableRule>(new RuleSetHolder(new PriorityOptions { MaxInstruments = table.Capacity }), default, books, table, state);
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public int Classify()
    {
        var ctx = new StageContext();
        long offset = _offset += _spanNs;
        int critical = 0;
        MarketEvent[] events = _events;
        for (int i = 0; i < events.Length; i++)
        {
            var e = events[i];
            e.ExchangeTimestampNs += offset;
            _classify.Process(ref e, in ctx);
            critical += e.Lane == Lane.Critical ? 1 : 0;
        }
        _classify.EndBatch(in ctx);
        return critical;
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public int Breakers()
    {
        var ctx = new StageContext();
        long offset = _offset += _spanNs;
        MarketEvent[] events = _events;
        for (int i = 0; i < events.Length; i++)
        {
            var e = events[i];
            e.ExchangeTimestampNs += offset;
            _breakers.Process(ref e, in ctx);
        }
        return events.Length;
    }

    [Benchmark(OperationsPerInvoke = EventCount, Baseline = true)]
    public int BreakersThenClassify()
    {
        var ctx = new StageContext();
        long offset = _offset += _spanNs;
        int critical = 0;
        MarketEvent[] events = _events;
        for (int i = 0; i < events.Length; i++)
        {
            var e = events[i];
            e.ExchangeTimestampNs += offset;
            _breakers.Process(ref e, in ctx);
            _classify.Process(ref e, in ctx);
            critical += e.Lane == Lane.Critical ? 1 : 0;
        }
        _classify.EndBatch(in ctx);
        return critical;
    }

    /// <summary>Copying the event and shifting its time, the loop's own cost, to subtract from the others.</summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
    public long CopyOnly()
    {
        long offset = _offset += _spanNs;
        long sum = 0;
        MarketEvent[] events = _events;
        for (int i = 0; i < events.Length; i++)
        {
            var e = events[i];
            e.ExchangeTimestampNs += offset;
            sum += e.ExchangeTimestampNs;
        }
        return sum;
    }
}
