using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using Wirespeed.Core.Agents;
using Wirespeed.Hosting.Detection;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>
/// Pattern detection as the product wires it: simulated ITCH packets → decode → books → breakers → classify → publish
/// → pattern workers → gate (the circuit breakers) → sinks (callback, journal), through <see cref="FeedHost"/>.
/// </summary>
public sealed class PatternWiringTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ws-patterns-" + Guid.NewGuid().ToString("N"));

    public PatternWiringTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed record Outcome(FeedHost Host, FeedPatterns<BoxCallback> Patterns, SignalBox[] Boxes, long Messages, ResolvedConfig Resolved);

    /// <summary>Config: the embedded default with small books, yielding pipeline workers, back-off pattern workers, plus <paramref name="patterns"/> and <paramref name="extra"/>.</summary>
    private static WirespeedConfig Config(string topology, string patterns, string extra = "")
        => ConfigLoader.Parse($$"""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "pipeline": { "topology": "{{topology}}", "workers": [ { "name": "feed", "idle": "yield" }, { "name": "deliver", "idle": "yield" } ] },
              "patterns": { "idle": "back-off", "overflow": "wait" {{patterns}} } {{extra}} }
            """);

    /// <summary>Runs <paramref name="messages"/> of the simulator (the configuration's instruments and sectors, so legs resolve to the feed's symbols) flat out.</summary>
    /// <summary>The configuration as demo and bench resolve it: simulator.breakerProfile compressed applies.</summary>
    private static ResolvedConfig Simulated(WirespeedConfig config) => ConfigValidator.Resolve(config, simulatedDay: true);

    private static Outcome Run(WirespeedConfig config, long messages, Action<FeedHost>? atWarmup = null, long warmup = 0)
        => Run(ConfigValidator.Resolve(config), messages, atWarmup, warmup);

    private static Outcome Run(ResolvedConfig resolved, long messages, Action<FeedHost>? atWarmup = null, long warmup = 0)
    {
        var config = resolved.Config;
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(config.Simulator)),
            config.Simulator.Session, config.Simulator.MaxPayloadBytes, SimTimestampMode.Virtual, messages);
        var blob = PacketBlob.Generate(feed, messages);
        var paced = new PacedBlobState(blob, 1e12, (byte)config.Lines[0].Id);   // every packet due at once
        var boxes = new SignalBox[config.Patterns.Workers];
        for (int w = 0; w < boxes.Length; w++) boxes[w] = new SignalBox();
        var host = FeedHost.Create(resolved, new MemoryRegistry(0), new PacedBlobPackets(paced), 1464, measureOneWay: false, 0,
            w => new BoxCallback(boxes[w]));
        var patterns = Assert.IsType<FeedPatterns<BoxCallback>>(host.Patterns);
        host.Start();
        HostRun.UntilDelivered(host, [paced], blob.Messages, atWarmup, warmup);
        return new Outcome(host, patterns, boxes, blob.Messages, resolved);
    }

    private static Signal[] ReadJournal(string path, out SignalJournalReader reader)
    {
        reader = SignalJournalReader.Open(path);
        var list = new List<Signal>();
        for (JournalReadStatus s; (s = reader.TryRead(out var sig)) != JournalReadStatus.End; )
            if (s == JournalReadStatus.Ok) list.Add(sig);
        return list.ToArray();
    }

    private static byte[] Bytes(ReadOnlySpan<Signal> signals) => MemoryMarshal.AsBytes(signals).ToArray();

    [Theory]
    [InlineData("single")]
    [InlineData("split")]
    public void Signals_of_every_configured_kind_reach_the_callback_and_the_journal_end_to_end(string topology)
    {
        string journal = Path.Combine(_dir, "signals.journal");
        var config = Config(topology, $$""", "sinks": { "journal": "{{journal}}" } """);
        var o = Run(Simulated(config), 3_000_000);   // as the demo runs it: the normal day trips nothing
        using var host = o.Host;
        var p = o.Patterns;
        var totals = p.Totals;

        // The publish stage put the top-of-book changes and trades of the instruments the patterns read on the ring (wait
        // policy: none dropped), routed to the worker, which was handed exactly those; the rest were counted, not published.
        Assert.Equal(0, p.Publish.Dropped);
        Assert.True(p.Publish.NotSubscribed > 0 && p.Publish.TopOfBook > 0 && p.Publish.TopOfBook < host.Deliver.TopChanges);
        Assert.Equal(p.Publish.TopOfBook + p.Publish.Trades, p.WorkerCounters(0).Seen);
        Assert.Equal(p.WorkerCounters(0).Seen, p.WorkerCounters(0).Evaluated);

        // Every kind of the default definitions fired on the simulator's correlated sectors, and nothing was gated.
        foreach (var kind in new[] { PatternKind.PairSpread, PatternKind.LeadLag, PatternKind.Basket, PatternKind.Momentum, PatternKind.Sequence })
            Assert.True(p.DetectedOf(kind) > 0, $"no {kind} signal in {o.Messages:N0} messages: " + string.Join(", ", Enumerable.Range(0, p.Plan.Options.Patterns.Count).Select(i => p.Plan.Options.Patterns[i].Name + "=" + p.CountsOf(i).Detected)));
        Assert.Equal(0, host.Priority.Breakers.TripsUp);
        Assert.Equal((totals.Detected, 0L, 0L), (totals.Delivered, totals.Suppressed, totals.Throttled));

        // The callback saw each delivered signal, the journal holds the same bytes, and each was timed.
        var box = o.Boxes[0];
        Assert.Equal(0, box.Overflow);
        Assert.Equal(totals.Delivered, box.Count);
        var fromJournal = ReadJournal(journal, out var reader);
        Assert.Equal((0, 0), (reader.CorruptRecords, reader.TornTailBytes));
        Assert.Equal(Bytes(box.Items.AsSpan(0, box.Count)), Bytes(fromJournal));
        Assert.Equal(totals.Delivered, p.Detection[0]!.Count);

        // Each signal names its definition, kind and one of its legs, with timestamps in order.
        var defs = p.Plan.Options.Patterns;
        var universe = o.Resolved.Universe;
        foreach (var s in fromJournal)
        {
            var def = defs[s.PatternId];
            Assert.Equal(def.Kind, s.Kind);
            Assert.True(s.DetectionTimestampNs >= s.ReceiveTimestampNs);
            if (def.Kind == PatternKind.Sequence) continue;
            var legs = def.Legs.Select(l => universe.TryFind(l.Symbol, out int id) ? id : -1).ToArray();
            Assert.Contains(s.Instrument, legs);
        }

        // The summary reports it: totals, ring, per worker, per definition; the publish stage sits after classify.
        var summary = new RunSummary { Command = "test" };
        RunReport.ForFeed(host).AddTo(summary);
        var section = summary.Counters["patterns"];
        Assert.Equal(totals.Delivered, section["signals_delivered"]);
        Assert.Equal(totals.Delivered, section["journal_records"]);
        Assert.Equal(p.WorkerCounters(0).Seen, section["worker0_seen"]);
        for (int i = 0; i < defs.Count; i++)
            Assert.Equal(p.CountsOf(i).Detected, summary.Counters[$"pattern.{PatternConfigMapper.KindName(defs[i].Kind)}.{defs[i].Name}"]["detected"]);
        Assert.Equal(totals.Detected, Enumerable.Range(0, defs.Count).Sum(i => p.CountsOf(i).Detected));
        Assert.Equal(["book", "breakers", "classify", "publish", "deliver"], host.Pipeline.Stages.Select(st => st.Name).ToArray());
        Assert.DoesNotContain(summary.Notes, n => n.Contains("feed's directory", StringComparison.Ordinal));   // legs resolved as the feed named them
    }

    [Fact]
    public void One_or_two_workers_and_either_topology_give_the_same_signals_byte_for_byte()
    {
        Signal[] Signals(string topology, int workers)
        {
            var config = Config(topology, $$""", "clock": "virtual", "workers": {{workers}} """);
            var o = Run(Simulated(config), 1_500_000);
            using var host = o.Host;
            Assert.Equal(workers, o.Patterns.Workers);
            var all = o.Boxes.SelectMany(b => b.Items.Take(b.Count)).ToList();
            if (workers > 1) Assert.All(o.Boxes, b => Assert.True(b.Count > 0, "each worker owns patterns that fire"));
            // Receive timestamps are the schedule of this run's start; everything else is the feed's.
            for (int i = 0; i < all.Count; i++) all[i] = all[i] with { ReceiveTimestampNs = 0, DetectionTimestampNs = 0 };
            all.Sort((a, b) => a.StreamPosition != b.StreamPosition ? a.StreamPosition.CompareTo(b.StreamPosition) : a.PatternId.CompareTo(b.PatternId));
            return all.ToArray();
        }

        var one = Signals("single", 1);
        Assert.True(one.Length > 10, $"{one.Length} signals");
        Assert.Equal(Bytes(one), Bytes(Signals("split", 2)));
    }

    [Fact]
    public void A_halted_breaker_suppresses_pattern_signals_through_the_product_wiring()
    {
        // Price-band thresholds a tick apart: every instrument is Halted at its first move, then its sector and the market.
        string journal = Path.Combine(_dir, "halted.journal");
        var config = Config("single", $$""", "sinks": { "journal": "{{journal}}" } """, """
            , "breakers": { "priceBand": { "thresholds": { "cautionEntry": 0.00001, "cautionExit": 0.000005, "restrictedEntry": 0.00002,
                                                           "restrictedExit": 0.00001, "haltedEntry": 0.00003, "haltedExit": 0.00002 } } }
            """);
        var o = Run(config, 1_500_000);
        using var host = o.Host;
        var b = host.Priority.Breakers;
        var totals = o.Patterns.Totals;
        Assert.Equal(BreakerLevel.Halted, b.MarketLevel);
        Assert.True((b.ResponsesOf(BreakerLevel.Halted) & BreakerResponse.SuppressSignals) != 0);
        var marketHalted = b.Transitions.Snapshot().First(t => t.Scope == BreakerScope.Market && t.To == BreakerLevel.Halted);

        Assert.True(totals.Detected > 0);
        Assert.True(totals.Suppressed > 0, "halted instruments' signals are suppressed");
        Assert.Equal(totals.Detected, totals.Delivered + totals.Suppressed + totals.Throttled);
        // The breakers run before the publish stage on the book worker: no signal on an event after the market halted got out.
        var delivered = ReadJournal(journal, out _);
        Assert.Equal(totals.Delivered, delivered.Length);
        Assert.All(delivered, s => Assert.True(s.ExchangeTimestampNs <= marketHalted.ExchangeNs,
            $"pattern {s.PatternId} signal at {s.ExchangeTimestampNs} after the market halted at {marketHalted.ExchangeNs}"));
        Assert.Equal(totals.Delivered, o.Boxes[0].Count);
        var summary = new RunSummary { Command = "test" };
        RunReport.ForFeed(host).AddTo(summary);
        Assert.Equal(totals.Suppressed, summary.Counters["patterns"]["signals_suppressed"]);
    }

    [Fact]
    public void A_leg_resolved_to_a_locate_the_feed_names_otherwise_is_reported_in_the_summary()
    {
        // The simulator names locate 1 AAAA and locate 2 BAAA; this map swaps them.
        var config = Config("single", """
            , "instruments": { "AAAA": 2, "BAAA": 1, "CAAA": 3 }, "definitions": [
                { "name": "m", "kind": "momentum", "legs": [ { "symbol": "AAAA" } ] },
                { "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "CAAA" }, { "symbol": "BAAA" } ] } ]
            """);
        var o = Run(config, 200_000);
        using var host = o.Host;
        var summary = new RunSummary { Command = "test" };
        RunReport.ForFeed(host).AddTo(summary);
        var warnings = summary.Notes.Where(n => n.Contains("feed's directory", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Contains(warnings, w => w.StartsWith("warning: patterns.definitions[0].legs[0]: 'AAAA' was resolved to stock locate 2", StringComparison.Ordinal) && w.Contains("'BAAA'"));
        Assert.Contains(warnings, w => w.StartsWith("warning: patterns.definitions[1].legs[1]: 'BAAA' was resolved to stock locate 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Pattern_workers_allocate_nothing_after_warm_up_in_the_wired_path_with_the_journal_and_callback()
    {
        // A journal buffer of 8 records: the worker writes to the file itself, often, inside the measured window.
        string journal = Path.Combine(_dir, "alloc.journal");
        var config = Config("single", $$""", "sinks": { "journal": "{{journal}}", "journalBufferRecords": 8 } """);
        long deliveredAtWarmup = 0, evaluatedAtWarmup = 0;
        FeedPatterns? patterns = null;
        var o = Run(Simulated(config), 2_000_000, atWarmup: host =>
        {
            patterns = host.Patterns!;
            deliveredAtWarmup = patterns.Totals.Delivered;
            evaluatedAtWarmup = patterns.WorkerCounters(0).Evaluated;
            host.EndWarmup();
        }, warmup: 500_000);
        using var host = o.Host;
        var p = o.Patterns;
        Assert.Same(patterns, p);
        Assert.True(p.WorkerCounters(0).Evaluated - evaluatedAtWarmup > 100_000, "the worker evaluated events after warm-up");
        Assert.True(p.Totals.Delivered - deliveredAtWarmup >= 16, $"{p.Totals.Delivered - deliveredAtWarmup} signals after warm-up: the journal wrote on the worker");
        var probe = Assert.Single(p.Probes);
        Assert.Contains(probe, host.HotThreadProbes);
        Assert.True(probe.IsMarked, "the pattern worker never marked the end of warm-up");
        Assert.Equal(0, probe.AllocatedSinceMark);
        Assert.Equal(p.Totals.Delivered, ReadJournal(journal, out _).Length);
    }

    [Theory]
    [InlineData("single")]
    [InlineData("split")]
    public void Inline_placement_detects_on_the_book_worker_the_same_signals_without_a_thread_or_an_allocation(string topology)
    {
        Signal[] Signals(ResolvedConfig config, long messages, out Outcome outcome, Action<FeedHost>? atWarmup = null)
        {
            outcome = Run(config, messages, atWarmup: atWarmup, warmup: atWarmup is null ? 0 : messages / 4);
            var all = outcome.Boxes[0].Items.Take(outcome.Boxes[0].Count).ToArray();
            for (int i = 0; i < all.Length; i++) all[i] = all[i] with { ReceiveTimestampNs = 0, DetectionTimestampNs = 0 };
            return all;
        }

        var inlineConfig = Config(topology, """, "clock": "virtual", "placement": "inline" """);
        var inline = Signals(Simulated(inlineConfig), 1_500_000, out var o, host => host.EndWarmup());
        using (o.Host)
        {
            var p = o.Patterns;
            Assert.True(p.Inline);
            Assert.Empty(p.Probes);                                            // no pattern thread: the book worker's probe covers it
            Assert.Contains(o.Host.Notes, n => n.Contains("inline on the book worker", StringComparison.Ordinal));
            Assert.True(p.WorkerCounters(0).Evaluated > 0 && p.Totals.Detected > 10);
            Assert.Equal(p.Publish.TopOfBook + p.Publish.Trades, p.WorkerCounters(0).Seen);   // it drained every batch it published
            var book = o.Host.HotThreadProbes[0];
            Assert.True(book.IsMarked);
            Assert.Equal(0, book.AllocatedSinceMark);                          // publish + detect + sinks on the book worker: 0 B
            Assert.Equal(["book", "breakers", "classify", "publish", "deliver"], o.Host.Pipeline.Stages.Select(st => st.Name).ToArray());
        }

        var workersConfig = Config(topology, """, "clock": "virtual", "placement": "workers" """);
        var onWorker = Signals(Simulated(workersConfig), 1_500_000, out var w);
        using (w.Host)
        {
            Assert.False(w.Patterns.Inline);
            Assert.Single(w.Patterns.Probes);
            Assert.Throws<InvalidOperationException>(() => w.Patterns.InlineOver(w.Patterns.PublishStage));
        }
        Assert.Equal(Bytes(onWorker), Bytes(inline));
    }

    [Theory]
    [InlineData("inline")]
    [InlineData("workers")]
    public void A_journal_on_a_full_disk_disables_itself_and_the_feed_and_the_callback_run_on(string placement)
    {
        var config = Config("single", $$""", "placement": "{{placement}}", "sinks": { "journal": "/dev/full", "journalBufferRecords": 4 } """);
        var o = Run(Simulated(config), 1_500_000);   // returns once every message reached deliver: the worker that writes the journal did not stop
        using var host = o.Host;
        var totals = o.Patterns.Totals;
        Assert.True(totals.Delivered > 4, $"{totals.Delivered} signals: too few to fill the journal's buffer");
        Assert.Equal(totals.Delivered, o.Boxes[0].Count);   // the callback after the journal saw every signal
        var summary = new RunSummary { Command = "test" };
        RunReport.ForFeed(host).AddTo(summary);
        var section = summary.Counters["patterns"];
        Assert.Equal(1, section["journal_failed_writes"]);
        Assert.Equal(28, section["journal_errno"]);   // ENOSPC
        Assert.Equal(0, section["journal_records"]);
        Assert.Equal(totals.Delivered, section["journal_lost_records"]);
        Assert.Equal(totals.Delivered * SignalJournal.RecordSize, section["journal_lost_bytes"]);
        Assert.Contains(summary.Notes, n => n.StartsWith("warning: patterns: journal /dev/full failed (errno 28: No space left on device", StringComparison.Ordinal)
                                            && n.Contains("the feed ran on", StringComparison.Ordinal));
    }

    [Fact]
    public void Placement_auto_runs_inline_only_for_one_worker_with_no_core_to_spin_on()
    {
        var spinning = new[] { new WorkerOptions { Name = "feed", Idle = new() { Kind = IdleStrategyKind.BusySpin } } };
        var parked = new[] { new WorkerOptions { Name = "feed", Idle = new() { Kind = IdleStrategyKind.BackOff } } };
        bool Inline(string placement, int workers, string idle, WorkerOptions[] pipeline, int cpus)
            => FeedPatterns.PlanInline(new PatternsConfig
            {
                Placement = ConfigNames.Placements.Parse(placement, "placement"), Workers = workers, Idle = ConfigNames.Idles.Parse(idle, "idle"),
            }, workers, pipeline, cpus, new List<string>());

        Assert.True(Inline("auto", 1, "auto", spinning, 2));      // this VM: the book worker spins, one core stays free
        Assert.False(Inline("auto", 1, "auto", spinning, 4));     // a core for a spinning pattern worker
        Assert.False(Inline("auto", 1, "auto", parked, 2));       // the pipeline leaves a core
        Assert.False(Inline("auto", 2, "auto", spinning, 2));     // several workers are never inline
        Assert.False(Inline("auto", 1, "back-off", spinning, 2)); // an idle strategy asks for a worker
        Assert.True(Inline("inline", 1, "auto", spinning, 64));
        Assert.False(Inline("workers", 1, "auto", spinning, 2));
    }
}
