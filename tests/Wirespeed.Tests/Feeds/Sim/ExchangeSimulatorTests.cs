using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Sim;

public class ExchangeSimulatorTests
{
    private const long Ms = 1_000_000;

    /// <summary>Runs the simulator to <paramref name="messages"/> random-flow messages (then the end of day) through the tape.</summary>
    private static (ExchangeSimulator Sim, ItchTape Tape) Run(SimulatorOptions o, long messages, long bucketNs, int buckets)
    {
        var sim = new ExchangeSimulator(o);
        var tape = new ItchTape(o.Instruments, (uint)o.RoundLot, o.StartTimeNs, bucketNs, buckets);
        var buf = new byte[ExchangeSimulator.MaxMessageLength];
        for (long k = 0; k < messages * 2 + 100_000; k++)
        {
            if (sim.MessagesEmitted >= messages) sim.EndSession();
            int n = sim.NextMessage(buf);
            if (n == 0) break;
            Assert.Equal(ItchMessageWriter.ItchLength(buf[0]), n);
            tape.Apply(buf.AsSpan(0, n));
        }
        Assert.True(sim.IsFinished, "the session ends");
        tape.FillForward();
        return (sim, tape);
    }

    private static byte[] Hash(SimulatorOptions o, long messages)
    {
        var feed = new SimFeed(new ExchangeSimulator(o), endAfterMessages: messages);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int guard = 0; guard < 1_000_000 && !feed.Ended; guard++) sha.AppendData(feed.NextPacket());
        Assert.True(feed.Ended);
        return sha.GetHashAndReset();
    }

    [Fact]
    public void Same_seed_and_options_give_byte_identical_packets()
    {
        var o = new SimulatorOptions { Seed = 42, Instruments = 16, Sectors = 4, Scenario = SimScenario.FlashCrash };
        Assert.Equal(Hash(o, 300_000), Hash(o, 300_000));
    }

    [Fact]
    public void Different_seeds_give_different_streams()
    {
        var o = new SimulatorOptions { Seed = 42, Instruments = 16, Sectors = 4 };
        Assert.NotEqual(Hash(o, 50_000), Hash(o with { Seed = 43 }, 50_000));
    }

    [Fact]
    public void Start_of_day_has_system_events_directory_and_trading_state_for_every_instrument()
    {
        var o = new SimulatorOptions { Instruments = 10, Sectors = 2 };
        var (_, tape) = Run(o, 10_000, Ms, 10);
        Assert.Equal(new byte[] { (byte)'O', (byte)'S', (byte)'Q', (byte)'M', (byte)'E', (byte)'C' }, tape.SystemEvents.ToArray());
        Assert.Equal(10, tape.Counts['R']);
        Assert.Equal(10, tape.TradingActions.Count(a => a.State == (byte)'T'));
        Assert.Equal(1, tape.Counts['V']);
        Assert.Equal(10, tape.Crosses.Count(c => c.CrossType == (byte)'O'));
        Assert.Equal(10, tape.Crosses.Count(c => c.CrossType == (byte)'C'));
        Assert.Equal(10, tape.Imbalances.Count(c => c.CrossType == (byte)'O'));
    }

    [Fact]
    public void Order_flow_stays_valid_over_a_million_messages()
    {
        // ItchTape fails on any reference to a dead order, oversized execution or cancel, off-grid price, non-round
        // lot, crossed top of book after an event, or timestamp going back.
        var o = new SimulatorOptions { Seed = 9, Instruments = 64, Sectors = 8, Scenario = SimScenario.FlashCrash };
        var (sim, tape) = Run(o, 1_000_000, 10 * Ms, 200);
        Assert.True(tape.Messages >= 1_000_000);
        Assert.Equal(sim.MessagesEmitted, tape.Messages);
        foreach (char t in "SRHAFECXDUPQIVJ")
            Assert.True(tape.Counts.GetValueOrDefault(t) > 0, $"no '{t}' message in a million");
        Assert.True(tape.Counts['A'] > 10 * tape.Counts['F'] / 2, "most adds carry no MPID");
        Assert.Equal(sim.CountOf('A'), tape.Counts['A']);
        for (int i = 1; i <= o.Instruments; i++) Assert.Equal(sim.LiveOrdersOf(i), tape.LiveCount(i));
    }

    private static double MeanReturn(ItchTape tape, IEnumerable<int> locates, int fromBucket, int toBucket)
    {
        double sum = 0;
        int n = 0;
        foreach (int i in locates)
        {
            double a = tape.Mid[i, fromBucket], b = tape.Mid[i, toBucket];
            Assert.False(double.IsNaN(a) || double.IsNaN(b), $"no book for locate {i}");
            sum += b / a - 1;
            n++;
        }
        return sum / n;
    }

    [Fact]
    public void Flash_crash_drops_the_market_after_onset_halts_and_recovers()
    {
        var o = new SimulatorOptions { Seed = 3, Instruments = 32, Sectors = 4, Scenario = SimScenario.FlashCrash, Magnitude = 0.10 };
        // 1 ms buckets over 1 s of virtual time; onset 300 ms, bottom 400 ms, recovered 700 ms.
        var (sim, tape) = Run(o, 1_000_000, Ms, 1000);
        var truth = sim.Truth;
        Assert.Equal(o.StartTimeNs + o.EventOffsetNs, truth.OnsetNs, 2000.0);
        Assert.True(truth.OnsetMessageIndex > 0);
        Assert.Equal(32, truth.AffectedInstruments.Length);
        int onset = (int)((truth.OnsetNs - o.StartTimeNs) / Ms), bottom = (int)((truth.MoveEndNs - o.StartTimeNs) / Ms);
        int recovered = (int)((truth.RecoveryEndNs - o.StartTimeNs) / Ms);

        double before = MeanReturn(tape, truth.AffectedInstruments, 50, onset - 1);
        double drop = MeanReturn(tape, truth.AffectedInstruments, onset - 1, bottom + 5);
        double back = MeanReturn(tape, truth.AffectedInstruments, onset - 1, recovered + 20);
        Assert.True(Math.Abs(before) < 0.03, $"calm before the crash: {before:P2}");
        Assert.True(drop < -0.06, $"market fell {drop:P2} between onset and bottom");
        Assert.True(Math.Abs(back) < 0.04, $"market recovered to within 4% ({back:P2})");

        // LULD pauses: every pause 'P' (reason LUDP, as NASDAQ publishes it) is followed by a resume 'T' for the same stock, with a collar in between.
        var halts = tape.TradingActions.Where(a => a.State == (byte)'P').ToList();
        Assert.NotEmpty(halts);
        Assert.Equal(truth.HaltsEmitted, halts.Count);
        Assert.Equal(truth.HaltedInstruments, halts.Select(h => h.Locate).ToList());
        foreach (var h in halts)
        {
            Assert.True(h.Ts >= truth.OnsetNs);
            Assert.Contains(tape.TradingActions, a => a.Locate == h.Locate && a.State == (byte)'T' && a.Ts > h.Ts);
            Assert.Contains(tape.Collars, c => c.Locate == h.Locate && c.Ts >= h.Ts);
        }
        Assert.True(truth.MwcbLevel1Breached, "a 10% crash across the market breaches MWCB level 1");
        Assert.Equal(1, tape.Counts['W']);

        double calmSpread = MeanSpread(tape, truth.AffectedInstruments, onset - 50, onset);
        double crashSpread = MeanSpread(tape, truth.AffectedInstruments, onset + 20, bottom);
        Assert.True(crashSpread > 2 * calmSpread, $"spreads widen during the crash: {calmSpread:F0} → {crashSpread:F0}");
    }

    private static double MeanSpread(ItchTape tape, int[] locates, int from, int to)
    {
        double sum = 0;
        int n = 0;
        foreach (int i in locates)
            for (int b = from; b < to; b++) { sum += tape.Spread[i, b]; n++; }
        return sum / n;
    }

    [Fact]
    public void News_spike_moves_only_the_affected_sector_and_raises_its_volume()
    {
        var o = new SimulatorOptions { Seed = 5, Instruments = 32, Sectors = 4, Scenario = SimScenario.NewsSpike, AffectedSector = 2, Magnitude = 0.08 };
        var (sim, tape) = Run(o, 800_000, Ms, 1000);
        var truth = sim.Truth;
        Assert.Equal(2, truth.SpikeSector);
        Assert.All(truth.AffectedInstruments, i => Assert.Equal(2, sim.SectorOf(i)));
        int onset = (int)((truth.OnsetNs - o.StartTimeNs) / Ms), end = (int)((truth.MoveEndNs - o.StartTimeNs) / Ms);
        for (int s = 0; s < o.Sectors; s++)
        {
            var members = Enumerable.Range(1, o.Instruments).Where(i => sim.SectorOf(i) == s).ToArray();
            double r = MeanReturn(tape, members, onset - 1, end + 20);
            if (s == 2) Assert.True(r > 0.05, $"sector 2 jumped {r:P2}");
            else Assert.True(Math.Abs(r) < 0.025, $"sector {s} moved {r:P2}, not abnormal");
        }
        long SectorVolume(int s, int from, int to)
        {
            long v = 0;
            for (int i = 1; i <= o.Instruments; i++)
                if (sim.SectorOf(i) == s)
                    for (int b = from; b < to; b++) v += tape.Volume[i, b];
            return v;
        }
        // Volume per virtual ms of the affected sector versus the others, during the news and before it.
        double during = (double)SectorVolume(2, onset, end) / SectorVolume(0, onset, end);
        double calm = (double)SectorVolume(2, 50, onset) / SectorVolume(0, 50, onset);
        Assert.True(during > 2.5 * calm, $"sector share of volume rose {calm:F2} → {during:F2}");
    }

    private static double ReturnStdDev(ItchTape tape, int instruments, int from, int to, int step)
    {
        var r = new List<double>();
        for (int i = 1; i <= instruments; i++)
            for (int b = from; b + step <= to; b += step)
                r.Add(Math.Log(tape.Mid[i, b + step] / tape.Mid[i, b]));
        double mean = r.Average();
        return Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Count - 1));
    }

    [Fact]
    public void Open_close_bursts_volume_at_both_ends_without_abnormal_volatility()
    {
        var o = new SimulatorOptions
        {
            Seed = 11, Instruments = 32, Sectors = 4, Scenario = SimScenario.OpenClose,
            SessionDurationNs = 1_000 * Ms, AuctionWindowNs = 150 * Ms, VolumeMultiplier = 5,
        };
        var (sim, tape) = Run(o, 5_000_000, 10 * Ms, 100);
        var truth = sim.Truth;
        Assert.Equal(o.StartTimeNs + 150 * Ms, truth.OpenBurstEndNs);
        Assert.Equal(o.StartTimeNs + 850 * Ms, truth.CloseBurstStartNs);
        Assert.True(truth.SessionEndNs >= o.StartTimeNs + o.SessionDurationNs);
        long Vol(int from, int to)
        {
            long v = 0;
            for (int i = 1; i <= o.Instruments; i++) for (int b = from; b < to; b++) v += tape.Volume[i, b];
            return v;
        }
        double openRate = Vol(2, 15) / 13.0, middleRate = Vol(20, 80) / 60.0, closeRate = Vol(86, 99) / 13.0;
        Assert.True(openRate > 3 * middleRate, $"open volume {openRate:F0}/bucket vs middle {middleRate:F0}");
        Assert.True(closeRate > 3 * middleRate, $"close volume {closeRate:F0}/bucket vs middle {middleRate:F0}");
        double volOpen = ReturnStdDev(tape, o.Instruments, 2, 14, 2), volMiddle = ReturnStdDev(tape, o.Instruments, 20, 80, 2);
        Assert.InRange(volOpen / volMiddle, 0.5, 2.0);
        Assert.Equal(32, tape.Imbalances.Count(c => c.CrossType == (byte)'C'));
        Assert.Equal(32, tape.Crosses.Count(c => c.CrossType == (byte)'C'));
    }

    private static double MeanPairwiseCorrelation(ItchTape tape, int instruments, int from, int to, int step)
    {
        var series = new double[instruments][];
        for (int i = 1; i <= instruments; i++)
        {
            var r = new List<double>();
            for (int b = from; b + step <= to; b += step) r.Add(Math.Log(tape.Mid[i, b + step] / tape.Mid[i, b]));
            series[i - 1] = r.ToArray();
        }
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < instruments; a++)
            for (int b = a + 1; b < instruments; b++)
            {
                sum += Correlation(series[a], series[b]);
                pairs++;
            }
        return sum / pairs;
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int k = 0; k < x.Length; k++)
        {
            sxy += (x[k] - mx) * (y[k] - my);
            sxx += (x[k] - mx) * (x[k] - mx);
            syy += (y[k] - my) * (y[k] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    [Fact]
    public void Correlated_move_makes_the_whole_market_move_together()
    {
        var common = new SimulatorOptions
        {
            Seed = 21, Instruments = 24, Sectors = 4, VolatilityPerSqrtSecond = 0.05,
            EventOffsetNs = 100 * Ms, EventDurationNs = 500 * Ms, Magnitude = 0.05,
        };
        var (simC, tapeC) = Run(common with { Scenario = SimScenario.CorrelatedMove }, 700_000, Ms, 700);
        var (_, tapeN) = Run(common with { Scenario = SimScenario.Normal }, 700_000, Ms, 700);
        double corrMove = MeanPairwiseCorrelation(tapeC, 24, 110, 600, 5);
        double corrNormal = MeanPairwiseCorrelation(tapeN, 24, 110, 600, 5);
        Assert.True(corrMove > 0.6, $"correlation during the move {corrMove:F2}");
        Assert.True(corrMove > corrNormal + 0.25, $"move {corrMove:F2} vs normal {corrNormal:F2}");
        double r = MeanReturn(tapeC, simC.Truth.AffectedInstruments, 99, 605);
        Assert.True(Math.Sign(r) == Math.Sign(simC.Truth.IntendedMove) && Math.Abs(r) > 0.03, $"market moved {r:P2}, intended {simC.Truth.IntendedMove:P2}");
    }

    [Fact]
    public void Normal_market_keeps_the_configured_correlation_structure()
    {
        var o = new SimulatorOptions { Seed = 2, Instruments = 24, Sectors = 4, VolatilityPerSqrtSecond = 0.05, MarketCorrelation = 0.3, SectorCorrelation = 0.4 };
        var (sim, tape) = Run(o, 700_000, Ms, 700);
        // Same-sector pairs share market + sector factors; others only the market factor.
        double same = 0, other = 0;
        int ns = 0, no = 0;
        var series = new double[25][];
        for (int i = 1; i <= 24; i++)
        {
            var r = new List<double>();
            for (int b = 10; b + 5 <= 690; b += 5) r.Add(Math.Log(tape.Mid[i, b + 5] / tape.Mid[i, b]));
            series[i] = r.ToArray();
        }
        for (int a = 1; a <= 24; a++)
            for (int b = a + 1; b <= 24; b++)
            {
                double c = Correlation(series[a], series[b]);
                if (sim.SectorOf(a) == sim.SectorOf(b)) { same += c; ns++; } else { other += c; no++; }
            }
        same /= ns;
        other /= no;
        Assert.True(same > other + 0.15, $"same-sector correlation {same:F2} vs cross-sector {other:F2}");
        Assert.InRange(other, 0.1, 0.5);
    }

    [Fact]
    public void Invalid_options_name_the_setting_and_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => new SimulatorOptions { Instruments = 0 }.Validated());
        Assert.Equal("Instruments", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => new SimulatorOptions { MarketCorrelation = 0.8, SectorCorrelation = 0.5 }.Validated());
        Assert.Contains("sum ≤ 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SimulatorOptions { Scenario = SimScenario.OpenClose }.Validated());
        Assert.Equal("SessionDurationNs", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => new SimulatorOptions { ActivitySkew = -0.5 }.Validated());
        Assert.Equal("ActivitySkew", e.ParamName);
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { ActivitySkew = double.NaN }.Validated());
    }

    /// <summary>Order-flow messages (add, execute, cancel, delete, replace, trade) per stock locate, 1-based.</summary>
    private static long[] FlowByLocate(SimulatorOptions o, long messages)
    {
        var sim = new ExchangeSimulator(o);
        var tape = new ItchTape(o.Instruments, (uint)o.RoundLot, o.StartTimeNs, 1_000 * Ms, 4);
        var counts = new long[o.Instruments + 1];
        var buf = new byte[ExchangeSimulator.MaxMessageLength];
        while (sim.MessagesEmitted < messages)
        {
            int n = sim.NextMessage(buf);
            tape.Apply(buf.AsSpan(0, n));          // the skewed stream is still a consistent book stream
            if (buf[0] is (byte)'A' or (byte)'F' or (byte)'E' or (byte)'C' or (byte)'X' or (byte)'D' or (byte)'U' or (byte)'P')
                counts[buf[1] << 8 | buf[2]]++;    // ITCH 5.0 §1.1: every message's stock locate at offset 1, big-endian
        }
        return counts;
    }

    [Fact]
    public void Activity_skew_spreads_the_flow_by_a_Zipf_law_and_zero_keeps_it_uniform()
    {
        var o = new SimulatorOptions { Seed = 7, Instruments = 1000, Sectors = 10, ActivitySkew = 1 };
        var zipf = FlowByLocate(o, 300_000);
        double total = zipf.Sum();
        double top10 = zipf.Skip(1).Take(10).Sum() / total;
        // Harmonic numbers: H(10) / H(1000) = 2.929 / 7.485 = 0.391 of the flow on locates 1..10.
        Assert.InRange(top10, 0.36, 0.42);
        Assert.True(zipf[1] > 5 * zipf[100], $"locate 1: {zipf[1]}, locate 100: {zipf[100]} (Zipf: 100×)");
        Assert.True(zipf.Skip(1).Count(c => c > 0) > 500, "the long tail still trades");

        var uniform = FlowByLocate(o with { ActivitySkew = 0 }, 300_000);
        Assert.InRange(uniform.Skip(1).Take(10).Sum() / (double)uniform.Sum(), 0.005, 0.02);
    }
}
