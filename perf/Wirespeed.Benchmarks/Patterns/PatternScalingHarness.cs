using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Benchmarks.Patterns;

/*
 * Pattern-stage harness (not BenchmarkDotNet: it needs threads, a pre-filled ring and HdrHistogram percentiles).
 *
 *   --patterns-scaling [--workers 1..N] [--universes U] [--events E] [--rounds R]
 *       Throughput of the pattern stage alone: the broadcast ring is pre-filled with E events (U independent copies of
 *       the planted market, interleaved, so the patterns split into U affinity groups), then W workers are started and
 *       timed from the first event any of them takes to the last event the slowest one finishes. Runs W = 1..N in one
 *       process and prints each rate and its ratio to W = 1 (median of R rounds), so a ratio is measured within one
 *       run on one machine (PLATFORM.md: this VM's host steals time).
 *
 *   --patterns-latency [--workers W] [--events E] [--rate EPS] [--universes U]
 *       Detection latency: a producer thread publishes the stream at a paced rate, stamping each event's receive
 *       timestamp from the monotonic clock as it publishes (the "packet arrival"); workers run with the monotonic
 *       detection clock; the sink records detection − receive for every signal into an HdrHistogram.
 *
 * The lead wires it into Program.cs with: if (PatternScalingHarness.Handles(args)) return PatternScalingHarness.Run(args);
 */
public static class PatternScalingHarness
{
    public static bool Handles(string[] args) => args.Length > 0 && (args[0] == "--patterns-scaling" || args[0] == "--patterns-latency");

    public static int Run(string[] args)
    {
        int universes = IntArg(args, "--universes", 16);
        long events = IntArg(args, "--events", 1 << 19);
        if (args[0] == "--patterns-latency")
        {
            Latency(IntArg(args, "--workers", 1), (int)events, IntArg(args, "--rate", 500_000), universes);
            return 0;
        }
        (int from, int to) = RangeArg(args, "--workers", 1, 2);
        Scaling(from, to, (int)events, universes, IntArg(args, "--rounds", 5));
        return 0;
    }

    // ---- the stream -------------------------------------------------------------------------------------------------

    private const int Stride = 16;   // ids per universe: PlantedMarket uses 1..15 with 4 noise instruments

    /// <summary>U planted markets with different seeds, interleaved; universe g's ids are shifted by g × 16.</summary>
    public static (MarketEvent[] Events, InstrumentTable Table, List<PatternOptions> Patterns) Universe(int universes, int events)
    {
        var markets = new PlantedMarket[universes];
        for (int g = 0; g < universes; g++) markets[g] = new PlantedMarket(new PlantedMarketOptions { Seed = 100 + (ulong)g, Events = events / universes + 1 });
        var all = new MarketEvent[events];
        for (int i = 0; i < events; i++)
        {
            int g = i % universes;
            markets[g].Next(out all[i]);
            all[i].Instrument += g * Stride;
        }
        var table = new InstrumentTable(universes * Stride + 1);
        var patterns = new List<PatternOptions>();
        for (int g = 0; g < universes; g++)
        {
            for (int id = 1; id < markets[g].InstrumentCount; id++) table.TrySet(g * Stride + id, PlantedMarket.SymbolOf(id) + g, 100);
            foreach (var p in PlantedMarket.PatternDefinitions())
            {
                var legs = new List<PatternLegOptions>();
                foreach (var l in p.Legs) legs.Add(l with { Symbol = l.Symbol + g });
                patterns.Add(p with { Name = p.Name + g, Legs = legs });
            }
        }
        return (all, table, patterns);
    }

    private static PatternsOptions Options(int workers, int ring, List<PatternOptions> patterns, PatternClock clock) => new()
    {
        Workers = workers,
        RingCapacity = ring,
        Lines = 2,
        MaxInstruments = 4096,
        BatchSize = 256,
        Clock = clock,
        Patterns = patterns,
    };

    // ---- throughput -------------------------------------------------------------------------------------------------

    private sealed class Timing
    {
        public long[] Start = [];
        public long[] End = [];
        public long Signals;
    }

    private readonly struct CountSink : ISignalSink
    {
        private readonly Timing _t;
        public CountSink(Timing t) => _t = t;
        public void OnSignal(in Signal signal) => Interlocked.Increment(ref _t.Signals);
    }

    /// <summary>Wraps a pattern agent and stamps when it took its first event and when it had seen all of them.</summary>
    private struct TimedAgent : IAgent
    {
        private PatternAgent<BuiltInGroup, CountSink, AllowAllGate> _inner;
        private readonly Timing _t;
        private readonly int _w;
        private readonly long _total;

        public TimedAgent(PatternAgent<BuiltInGroup, CountSink, AllowAllGate> inner, Timing t, int w, long total)
        {
            _inner = inner;
            _t = t;
            _w = w;
            _total = total;
        }

        public void OnStart() { }

        public int DoWork()
        {
            int n = _inner.DoWork();
            if (n > 0)
            {
                if (_t.Start[_w] == 0) _t.Start[_w] = MonoClock.NowNs();
                if (_inner.Counters.Seen == _total) Volatile.Write(ref _t.End[_w], MonoClock.NowNs());
            }
            return n;
        }

        public void OnClose() { }
    }

    public static unsafe double Throughput(int workers, MarketEvent[] events, InstrumentTable table, List<PatternOptions> patterns, out long signals)
    {
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)events.Length);
        void* memory = NativeMemory.AlignedAlloc((nuint)SpmcBroadcast<MarketEvent>.RequiredBytes(capacity), 64);
        try
        {
            var ring = new SpmcBroadcast<MarketEvent>(memory, capacity, workers);
            for (int i = 0; i < events.Length; i++) ring.TryWrite(in events[i]);
            var t = new Timing { Start = new long[workers], End = new long[workers] };
            var plan = PatternPlan.Build(Options(workers, capacity, patterns, PatternClock.Monotonic), table);
            var rt = new PatternRuntime<CountSink, AllowAllGate>(plan, ring, _ => new CountSink(t), default);
            var threads = new Worker[workers];
            for (int w = 0; w < workers; w++)
                threads[w] = Worker.Create(new WorkerOptions { Name = $"patterns.{w}", Cpu = Environment.ProcessorCount > w ? w : -1, Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.Yield } },
                                           new TimedAgent(rt.Agent(w), t, w, events.Length));
            foreach (var th in threads) th.Start();
            for (int w = 0; w < workers; w++) while (Volatile.Read(ref t.End[w]) == 0) Thread.Sleep(1);
            foreach (var th in threads) th.Stop();
            long start = long.MaxValue, end = 0;
            for (int w = 0; w < workers; w++)
            {
                start = Math.Min(start, t.Start[w]);
                end = Math.Max(end, t.End[w]);
            }
            signals = t.Signals;
            return events.Length * 1e9 / (end - start);
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    private static void Scaling(int from, int to, int events, int universes, int rounds)
    {
        var (stream, table, patterns) = Universe(universes, events);
        Console.WriteLine($"# pattern-stage throughput: {events} events, {universes} universes, {patterns.Count} patterns, {rounds} rounds (median), {Environment.ProcessorCount} CPUs");
        Throughput(1, stream, table, patterns, out _);   // warm-up: JIT, tiering
        double baseRate = 0;
        for (int w = from; w <= to; w++)
        {
            var rates = new double[rounds];
            long signals = 0;
            for (int r = 0; r < rounds; r++) rates[r] = Throughput(w, stream, table, patterns, out signals);
            Array.Sort(rates);
            double median = rates[rounds / 2];
            if (w == from) baseRate = median;
            Console.WriteLine($"workers={w} events/s={median / 1e6:F2}M (min {rates[0] / 1e6:F2}M max {rates[^1] / 1e6:F2}M) ratio_to_{from}={median / baseRate:F2} signals={signals}");
        }
    }

    // ---- latency ----------------------------------------------------------------------------------------------------

    private readonly struct LatencySink : ISignalSink
    {
        private readonly StageMetrics _metrics;
        public LatencySink(StageMetrics metrics) => _metrics = metrics;
        public void OnSignal(in Signal signal) => _metrics.Record(signal.DetectionTimestampNs - signal.ReceiveTimestampNs);
    }

    private static unsafe void Latency(int workers, int events, int rate, int universes)
    {
        var (stream, table, patterns) = Universe(universes, events);
        const int capacity = 1 << 16;
        void* memory = NativeMemory.AlignedAlloc((nuint)SpmcBroadcast<MarketEvent>.RequiredBytes(capacity), 64);
        var metrics = new StageMetrics[workers];
        for (int w = 0; w < workers; w++) metrics[w] = new StageMetrics($"patterns.{w}.detect", 500_000);
        try
        {
            var ring = new SpmcBroadcast<MarketEvent>(memory, capacity, workers);
            var plan = PatternPlan.Build(Options(workers, capacity, patterns, PatternClock.Monotonic), table);
            var rt = new PatternRuntime<LatencySink, AllowAllGate>(plan, ring, w => new LatencySink(metrics[w]), default);
            rt.Start(new IdleStrategyOptions { Kind = IdleStrategyKind.Yield });
            long t0 = MonoClock.NowNs();
            int next = 0;
            long full = 0;
            int warmup = stream.Length / 4;          // first quarter: JIT tiering and cache warm-up, discarded
            while (next < stream.Length)
            {
                if (warmup > 0 && next >= warmup)
                {
                    warmup = 0;
                    foreach (var m in metrics) m.SampleInterval();
                }
                long due = (long)((MonoClock.NowNs() - t0) * (rate / 1e9));
                if (due <= next)
                {
                    Thread.Yield();
                    continue;
                }
                long now = MonoClock.NowNs();   // one "packet": every event due now arrives together
                for (; next < stream.Length && next < due; next++)
                {
                    ref MarketEvent e = ref stream[next];
                    e.ReceiveTimestampNs = now;
                    while (!ring.TryWrite(in e)) { full++; Thread.Yield(); }
                }
            }
            while (ring.Count > 0) Thread.Sleep(1);
            rt.Stop();
            var total = StageMetrics.CreateCompatibleHistogram();
            foreach (var m in metrics) total.Add(m.SampleInterval());
            Console.WriteLine($"# detection latency (receive -> signal), {events} events at {rate}/s (first quarter discarded as warm-up), {workers} worker(s), {patterns.Count} patterns, {Environment.ProcessorCount} CPUs; ring-full waits {full}");
            Console.WriteLine($"signals={total.TotalCount} p50={HistogramStats.ValueAtPercentile(total, 50) / 1000.0:F1}us p90={HistogramStats.ValueAtPercentile(total, 90) / 1000.0:F1}us " +
                              $"p99={HistogramStats.ValueAtPercentile(total, 99) / 1000.0:F1}us p99.9={HistogramStats.ValueAtPercentile(total, 99.9) / 1000.0:F1}us max={HistogramStats.Max(total) / 1000.0:F1}us");
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    // ---- arguments --------------------------------------------------------------------------------------------------

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }

    private static (int, int) RangeArg(string[] args, string name, int from, int to)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0 || i + 1 >= args.Length) return (from, to);
        string s = args[i + 1];
        int dots = s.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0) return int.TryParse(s, out int one) ? (one, one) : (from, to);
        return (int.Parse(s[..dots]), int.Parse(s[(dots + 2)..]));
    }
}
