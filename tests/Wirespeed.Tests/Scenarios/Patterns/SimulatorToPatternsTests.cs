using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Scenarios.Patterns;

/// <summary>The ITCH simulator's messages, normalised, applied to the books, published by the stage and read by workers.</summary>
public class SimulatorToPatternsTests
{
    private sealed record Outcome(Signal[] Signals, PublishCounters Counters, long Published, long Seen);

    private static unsafe Outcome Run(ulong seed, int workers)
    {
        var sim = new ExchangeSimulator(new SimulatorOptions { Seed = seed, Instruments = 16, Scenario = SimScenario.FlashCrash, EventOffsetNs = 20_000_000, EventDurationNs = 30_000_000 });
        var table = new InstrumentTable(64);
        for (int i = 1; i <= 16; i++) table.TrySet(i, $"S{i}", 100);
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 64, MaxLiveOrders = 4096, MaxLevelsPerSide = 64 });
        var patterns = new List<PatternOptions>();
        for (int i = 1; i <= 16; i++)
            patterns.Add(new() { Name = $"mom{i}", Kind = PatternKind.Momentum, Legs = [new() { Symbol = $"S{i}" }], Count = 3, WithinUs = 2_000 });
        patterns.Add(new() { Name = "lead", Kind = PatternKind.LeadLag, Legs = [new() { Symbol = "S1" }, new() { Symbol = "S2" }], MoveBps = 30, WithinUs = 5_000 });
        var options = new PatternsOptions { Workers = workers, Lines = 1, MaxInstruments = 64, RingCapacity = 1 << 18, Clock = PatternClock.Virtual, Patterns = patterns };

        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(options.RingCapacity));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, options.RingCapacity, workers);
        var stage = new TopOfBookPublishStage(books, ring);
        var logs = PatternScenario.NewLogs(workers);
        var rt = new PatternRuntime<CallbackSignalSink<LogCallback>, AllowAllGate>(PatternPlan.Build(options, table), ring,
            w => new CallbackSignalSink<LogCallback>(new LogCallback(logs[w])), default);

        Span<byte> message = stackalloc byte[ExchangeSimulator.MaxMessageLength];
        var ctx = new StageContext();
        ulong sequence = 0;
        for (int n = 0; n < 150_000; n++)
        {
            int length = sim.NextMessage(message);
            if (length == 0) break;
            var evt = new MarketEvent();
            if (ItchNormaliser.Normalise(message[..length], ++sequence, 0, 1_000 + n, 0, ref evt) != DecodeStatus.Ok) continue;
            books.Apply(ref evt);
            stage.Process(ref evt, in ctx);
            if ((n & 63) == 63)
            {
                stage.EndBatch(in ctx);
                for (int w = 0; w < workers; w++) while (rt.Agent(w).DoWork() > 0) { }
            }
        }
        stage.EndBatch(in ctx);
        long seen = 0;
        for (int w = 0; w < workers; w++)
        {
            while (rt.Agent(w).DoWork() > 0) { }
            seen += rt.Agent(w).Counters.Seen;
        }
        return new Outcome(PatternScenario.Merge(logs), stage.Counters, ring.Published, seen);
    }

    [Fact]
    public void Simulated_itch_flow_reaches_the_pattern_workers_through_the_books_and_the_publish_stage()
    {
        var one = Run(seed: 21, workers: 1);
        Assert.True(one.Counters.TopOfBook > 10_000, $"top-of-book events {one.Counters.TopOfBook}");
        Assert.True(one.Counters.Trades > 1_000, $"trades {one.Counters.Trades}");
        Assert.Equal(0, one.Counters.Dropped);
        Assert.Equal(one.Counters.TopOfBook + one.Counters.Trades, one.Published);
        Assert.Equal(one.Published, one.Seen);
        Assert.Contains(one.Signals, s => s.Kind == PatternKind.Momentum);
        Assert.Contains(one.Signals, s => s.Kind == PatternKind.LeadLag);   // the crash moves S1 before S2 catches up

        var two = Run(seed: 21, workers: 2);
        Assert.Equal(2 * two.Published, two.Seen);                           // every worker sees every event
        Assert.Equal(MemoryMarshal.AsBytes(one.Signals.AsSpan()).ToArray(), MemoryMarshal.AsBytes(two.Signals.AsSpan()).ToArray());
    }
}
