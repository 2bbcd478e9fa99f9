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
using Wirespeed.Core.Agents;

namespace Wirespeed.Benchmarks.Patterns;

/*
 * Pattern-stage harness (not BenchmarkDotNet: it needs threads, a pre-filled ring and HdrHistogram percentiles).
 *
 *   --patterns-scaling [--workers 1..N] [--universes U] [--events E] [--rounds R] [--routing on|off|both] [--lap L] [--verbose]
 *       Throughput of the pattern stage alone: the broadcast ring is pre-filled with E events (U independent copies of
 *       the planted market, interleaved, so the patterns split into U affinity groups), then W workers are started,
 *       each polls, and all are let go at once and timed to the last event the slowest one finishes (thread start-up
 *       is not the stage's cost). --lap L: a ring of L slots (the product's patterns.ringCapacity is 65536) refilled
 *       between timed laps, so the workers read from the cache what was just written, as behind the publish stage;
 *       without it the whole stream sits in one ring and streams from memory. --verbose prints every round's rate and,
 *       without laps, each worker's end after the start. Runs W = 1..N in one
 *       process and prints each rate and its ratio to W = 1 (median of R rounds), so a ratio is measured within one
 *       run on one machine (PLATFORM.md: this VM's host steals time). Routing on (the product): each event is routed
 *       to the worker that reads it, as the publish stage does; off: every worker is handed every event and tests it
 *       against its filter (the design before routing); both: off then on, in one process.
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
        string routing = StringArg(args, "--routing", "on");
        if (routing is not ("on" or "off" or "both"))
        {
            Console.Error.WriteLine($"--routing {routing}: use on, off or both");
            return 2;
        }
        bool verbose = Array.IndexOf(args, "--verbose") >= 0;
        Timing.Verbose = verbose;
        int lap = IntArg(args, "--lap", 0);
        if (lap < 0 || (lap > 0 && (!System.Numerics.BitOperations.IsPow2(lap) || events % lap != 0)))
        {
            Console.Error.WriteLine($"--lap {lap}: use 0 or a power of two that divides --events");
            return 2;
        }
        if (routing != "on") Scaling(from, to, (int)events, universes, IntArg(args, "--rounds", 5), routed: false, verbose, lap);
        if (routing != "off") Scaling(from, to, (int)events, universes, IntArg(args, "--rounds", 5), routed: true, verbose, lap);
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
        public long[] End = [];
        public long Signals;
        /// <summary>Workers polling and waiting for <see cref="Go"/>.</summary>
        public int Ready;
        /// <summary>Set once every worker is ready: all start together, so thread start-up is not timed.</summary>
        public int Go;
        public long GoAtNs;
        /// <summary>Ring slots each worker must have passed to end the current lap.</summary>
        public long Target;
        /// <summary>--verbose: print each worker's end after the start (runs without laps).</summary>
        public static bool Verbose;
        /// <summary>Workers still in the current lap; the last one to finish sets <see cref="LapDone"/> (the main thread blocks, taking no CPU).</summary>
        public int Remaining;
        public readonly ManualResetEventSlim LapDone = new(false);

        /// <summary>Worker side: its end of the lap.</summary>
        public void Finish(int w)
        {
            Volatile.Write(ref End[w], MonoClock.NowNs());
            if (Interlocked.Decrement(ref Remaining) == 0) LapDone.Set();
        }

        /// <summary>Starts <paramref name="workers"/>, waits until each polls, lets them go; returns the rate of <paramref name="items"/> from go to the last end.</summary>
        public double Run(Worker[] workers, long items)
        {
            Target = items;
            Remaining = workers.Length;
            foreach (var th in workers) th.Start();
            while (Volatile.Read(ref Ready) < workers.Length) Thread.Sleep(1);
            GoAtNs = MonoClock.NowNs();
            Volatile.Write(ref Go, 1);
            long ns = WaitLap();
            foreach (var th in workers) th.Stop();
            if (Verbose && End.Length > 1)
                Console.WriteLine("#   worker ends after the start, us: " + string.Join(" ", Array.ConvertAll(End, e => ((e - GoAtNs) / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            return items * 1e9 / ns;
        }

        /// <summary>
        /// Laps: the ring holds one lap; for each, <paramref name="fill"/> writes it (untimed, workers idle), then the
        /// lap is published and timed to the last worker's end. Returns the rate over the timed laps only.
        /// </summary>
        public double RunLaps(Worker[] workers, int laps, long perLap, Action<int> fill, Action publish)
        {
            Target = 0;
            foreach (var th in workers) th.Start();
            while (Volatile.Read(ref Ready) < workers.Length) Thread.Sleep(1);
            Volatile.Write(ref Go, 1);
            long timed = 0;
            for (int lap = 0; lap < laps; lap++)
            {
                fill(lap);
                LapDone.Reset();
                Volatile.Write(ref Remaining, workers.Length);
                Volatile.Write(ref Target, (lap + 1) * perLap);   // before the ends are cleared: a worker that sees a cleared end sees this target
                for (int w = 0; w < End.Length; w++) Volatile.Write(ref End[w], 0);
                GoAtNs = MonoClock.NowNs();
                publish();
                timed += WaitLap();
            }
            foreach (var th in workers) th.Stop();
            return laps * perLap * 1e9 / timed;
        }

        private long WaitLap()
        {
            LapDone.Wait();
            long end = 0;
            foreach (long e in End) end = Math.Max(end, e);
            return end - GoAtNs;
        }

        /// <summary>Agent side: false (after saying it is ready) until the start signal.</summary>
        public bool Started(ref bool ready)
        {
            if (Volatile.Read(ref Go) != 0) return true;
            if (!ready)
            {
                ready = true;
                Interlocked.Increment(ref Ready);
            }
            return false;
        }
    }

    private readonly struct CountSink : ISignalSink
    {
        private readonly Timing _t;
        public CountSink(Timing t) => _t = t;
        public void OnSignal(in Signal signal) => Interlocked.Increment(ref _t.Signals);
    }

    /// <summary>Wraps a pattern agent: waits for the start signal, then stamps when it has passed the current lap's target.</summary>
    private struct TimedAgent : IAgent
    {
        private PatternAgent<BuiltInGroup, CountSink, AllowAllGate> _inner;
        private readonly Timing _t;
        private readonly int _w;
        private bool _ready;

        public TimedAgent(PatternAgent<BuiltInGroup, CountSink, AllowAllGate> inner, Timing t, int w)
        {
            _inner = inner;
            _t = t;
            _w = w;
        }

        public void OnStart() { }

        public int DoWork()
        {
            if (!_t.Started(ref _ready)) return 0;
            int n = _inner.DoWork();
            if (Volatile.Read(ref _t.End[_w]) == 0 && _inner.Counters.Seen >= Volatile.Read(ref _t.Target) && _t.Target > 0) _t.Finish(_w);
            return n;
        }

        public void OnClose() { }
    }

    /// <remarks>lap 0: the whole stream pre-filled in one ring (it streams from memory); lap N (a power of two): a ring of N
    /// slots, as the product's (patterns.ringCapacity), refilled between timed laps, so the workers read what was just
    /// written, from the cache, as they do behind the publish stage.</remarks>
    public static unsafe double Throughput(int workers, MarketEvent[] events, InstrumentTable table, List<PatternOptions> patterns, bool routed, out long signals,
                                           int lap = 0)
    {
        int capacity = lap > 0 ? lap : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)events.Length);
        void* memory = NativeMemory.AlignedAlloc((nuint)SpmcBroadcast<MarketEvent>.RequiredBytes(capacity), 64);
        try
        {
            var ring = new SpmcBroadcast<MarketEvent>(memory, capacity, workers);
            var t = new Timing { End = new long[workers] };
            var plan = PatternPlan.Build(Options(workers, capacity, patterns, PatternClock.Monotonic), table);
            var rt = new PatternRuntime<CountSink, AllowAllGate>(plan, ring, _ => new CountSink(t), default);
            // As the publish stage writes them: each event routed to the worker that reads its instrument (or to all).
            void Fill(int from, int count)
            {
                for (int i = from; i < from + count; i++)
                {
                    ulong route = routed ? rt.Routes.MaskOf(events[i].LineId, events[i].Instrument) : SpmcBroadcast<MarketEvent>.AllConsumers;
                    if (!ring.TryClaim(out long seq, route)) throw new InvalidOperationException("ring full: a lap was not drained");
                    ring[seq] = events[i];
                }
            }
            if (lap == 0)
            {
                Fill(0, events.Length);
                ring.Publish();
            }
            var threads = new Worker[workers];
            for (int w = 0; w < workers; w++)
                threads[w] = Worker.Create(new WorkerOptions { Name = $"patterns.{w}", Cpu = Environment.ProcessorCount > w ? w : -1, Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.Yield } },
                                           new TimedAgent(rt.Agent(w), t, w));
            GC.Collect();                 // the round's set-up garbage: a collection inside the timed window stops every worker
            GC.WaitForPendingFinalizers();
            GC.Collect();
            double rate = lap == 0
                ? t.Run(threads, events.Length)
                : t.RunLaps(threads, events.Length / lap, lap, k => Fill(k * lap, lap), ring.Publish);
            signals = t.Signals;
            return rate;
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    private static void Scaling(int from, int to, int events, int universes, int rounds, bool routed, bool verbose, int lap)
    {
        var (stream, table, patterns) = Universe(universes, events);
        Console.WriteLine($"# pattern-stage throughput: {events} events, {universes} universes, {patterns.Count} patterns, {rounds} rounds, {Environment.ProcessorCount} CPUs, routing {(routed ? "on" : "off")}, " +
                          (lap == 0 ? "whole stream pre-filled" : $"ring of {lap} refilled between timed laps"));
        Console.WriteLine("# a round runs every worker count once, back to back; ratio = median over rounds of (rate / rate of the round's first count),");
        Console.WriteLine("# so a host that slows down for a while slows both sides of a ratio. control = the same threads running pure arithmetic: this machine's ceiling.");
        for (int r = 0; r < 5; r++)                                // warm-up: JIT tiering (tier 1 after 30 calls and a delay)
            for (int w = from; w <= to; w++) Throughput(w, stream, table, patterns, routed, out _, lap);
        int counts = to - from + 1;
        var rates = new double[counts][];
        var controls = new double[counts][];
        for (int i = 0; i < counts; i++)
        {
            rates[i] = new double[rounds];
            controls[i] = new double[rounds];
        }
        long signals = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < counts; i++)
            {
                rates[i][r] = Throughput(from + i, stream, table, patterns, routed, out signals, lap);
                controls[i][r] = Control(from + i);
            }
        }
        for (int i = 0; i < counts; i++)
        {
            var ratio = new double[rounds];
            var controlRatio = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                ratio[r] = rates[i][r] / rates[0][r];
                controlRatio[r] = controls[i][r] / controls[0][r];
            }
            if (verbose) Console.WriteLine("# rounds: " + string.Join(" ", Array.ConvertAll(rates[i], x => (x / 1e6).ToString("F1"))));
            var sorted = (double[])rates[i].Clone();
            Array.Sort(sorted);
            Console.WriteLine($"workers={from + i} events/s={Median(rates[i]) / 1e6:F2}M (min {sorted[0] / 1e6:F2}M max {sorted[^1] / 1e6:F2}M) " +
                              $"ratio_to_{from}={Median(ratio):F2} control_ratio={Median(controlRatio):F2} signals={signals}");
        }
    }

    private static double Median(double[] values)
    {
        var v = (double[])values.Clone();
        Array.Sort(v);
        return v[v.Length / 2];
    }

    /// <summary>Arithmetic only (no memory traffic): what this machine gives to N threads when nothing is shared.</summary>
    private struct ControlAgent : IAgent
    {
        private const long Chunk = 1_000_000;
        private readonly Timing _t;
        private readonly int _w;
        private readonly long _total;
        private long _done;
        private ulong _y;
        private bool _ready;

        public ControlAgent(Timing t, int w, long total)
        {
            _t = t;
            _w = w;
            _total = total;
            _y = (ulong)w + 1;
        }

        public void OnStart() { }

        public int DoWork()
        {
            if (!_t.Started(ref _ready) || _done >= _total) return 0;
            ulong y = _y;
            for (long i = 0; i < Chunk; i++)
            {
                y = y * 6364136223846793005UL + 1442695040888963407UL;
                y ^= y >> 17;
            }
            _y = y;
            _done += Chunk;
            if (_done >= _total) _t.Finish(_w);   // _y stays in the agent: the loop is not dead code
            return 1;
        }

        public void OnClose() { }
    }

    /// <summary>Work units per second of <paramref name="threads"/> workers, pinned as the pattern workers are, each running a fixed arithmetic loop.</summary>
    private static double Control(int threads)
    {
        const long perThread = 40_000_000;
        var t = new Timing { End = new long[threads] };
        var workers = new Worker[threads];
        for (int w = 0; w < threads; w++)
            workers[w] = Worker.Create(new WorkerOptions { Name = $"control.{w}", Cpu = Environment.ProcessorCount > w ? w : -1, Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.Yield } },
                                       new ControlAgent(t, w, perThread));
        return t.Run(workers, threads * perThread);
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
                    ulong route = rt.Routes.MaskOf(e.LineId, e.Instrument);   // as the publish stage routes it
                    if (route == 0) continue;
                    long seq;
                    while (!ring.TryClaim(out seq, route)) { full++; Thread.Yield(); }
                    ring[seq] = e;
                    ring.Publish();
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

    private static string StringArg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
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
