using System;
using System.Security.Cryptography;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Sim;

/// <summary>
/// <see cref="SimulatorOptions.Venue"/>: venue 0 is the simulator's output as it was before venues existed; venue v &gt; 0
/// keeps venue 0's price path (the same mids at the same virtual times) with an order flow of its own.
/// </summary>
public class SimulatorVenueTests
{
    private const long Ms = 1_000_000;
    private const long Messages = 200_000;

    /// <summary>A few seeds and every scenario, shaped so that each scenario's event happens within <see cref="Messages"/>.</summary>
    private static SimulatorOptions Case(string name) => name switch
    {
        "normal-default" => new SimulatorOptions(),
        "flash-crash" => new SimulatorOptions
        {
            Seed = 9, Scenario = SimScenario.FlashCrash, EventOffsetNs = 50 * Ms, EventDurationNs = 30 * Ms,
            RecoveryDurationNs = 60 * Ms, HaltDurationNs = 10 * Ms,
        },
        "news-spike" => new SimulatorOptions
        {
            Seed = 42, Instruments = 16, Sectors = 4, Scenario = SimScenario.NewsSpike, AffectedSector = 2,
            EventOffsetNs = 50 * Ms, EventDurationNs = 30 * Ms, RecoveryDurationNs = 60 * Ms,
        },
        // Ends by itself (SessionDurationNs) before Messages: the session end reached inside NextMessage.
        "open-close" => new SimulatorOptions
        {
            Seed = 3, Instruments = 32, Sectors = 4, Scenario = SimScenario.OpenClose, SessionDurationNs = 30 * Ms,
            AuctionWindowNs = 10 * Ms,
        },
        "correlated-move" => new SimulatorOptions
        {
            Seed = 5, Instruments = 16, Sectors = 4, Scenario = SimScenario.CorrelatedMove, EventOffsetNs = 50 * Ms,
            EventDurationNs = 50 * Ms,
        },
        // 400 messages per virtual second: 2.5 price steps per message, so several steps (and LULD checks) run between two messages.
        "slow-clock-crash" => new SimulatorOptions
        {
            Seed = 11, Instruments = 8, Sectors = 2, MessagesPerSecond = 400, Scenario = SimScenario.FlashCrash,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
    };

    /// <summary>SHA-256 of every message's bytes, <paramref name="messages"/> of them and then the end of day.</summary>
    private static string StreamHash(SimulatorOptions o, long messages, out long emitted)
    {
        var sim = new ExchangeSimulator(o);
        var buf = new byte[ExchangeSimulator.MaxMessageLength];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (true)
        {
            if (sim.MessagesEmitted >= messages) sim.EndSession();
            int n = sim.NextMessage(buf);
            if (n == 0) break;
            sha.AppendData(buf, 0, n);
        }
        emitted = sim.MessagesEmitted;
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    // The expected hashes are the output of the simulator BEFORE venues were added (git c24c22c, computed with this same
    // StreamHash and these same cases from that commit's feeds/Wirespeed.Feeds). They are a regression guard: venue 0
    // must stay byte-identical to it for every seed and scenario.
    [Theory]
    [InlineData("normal-default", "647E70C56E8183F19C26460BB5E1BA8B42EA3DBD1D30EA628EADDCE9F604B992", 200_131)]
    [InlineData("flash-crash", "BAC806CC026711CEAE975BC0D2ECB7B8BCB8968E0E8F77B3A3D9FE337E733F69", 200_131)]
    [InlineData("news-spike", "8CC51D9B4CBED72A26F45E5289B4499F229CA74A81E270F18302D707531BEE52", 200_035)]
    [InlineData("open-close", "738112242D46B47EEACA0C1DBFB99CBCB0DC2DC1BE4FE534D4DC20E14074BCCB", 110_067)]
    [InlineData("correlated-move", "9B95E2DBF221299F437F8BD943E5165E9C670C2F94C6A9295852F3D2FA6F2A9C", 200_035)]
    [InlineData("slow-clock-crash", "5A88AA6C1A25291574E6288F74BC4A39F14BB23CB38D8F303BAC0AABA6B971BA", 200_019)]
    public void Venue_0_output_is_byte_identical_to_the_pre_venue_simulator(string name, string preVenueHash, long preVenueMessages)
    {
        var o = Case(name);
        Assert.Equal(0, o.Venue);
        Assert.Equal(preVenueHash, StreamHash(o, Messages, out long emitted));
        Assert.Equal(preVenueMessages, emitted);
    }

    [Theory]
    [InlineData("normal-default")]
    [InlineData("flash-crash")]
    [InlineData("news-spike")]
    [InlineData("open-close")]
    [InlineData("correlated-move")]
    [InlineData("slow-clock-crash")]
    public void Venue_1_has_venue_0s_mids_at_the_same_virtual_times_with_different_order_flow(string name)
    {
        var o = Case(name);
        var v0 = new ExchangeSimulator(o);
        var v1 = new ExchangeSimulator(o with { Venue = 1 });
        var b0 = new byte[ExchangeSimulator.MaxMessageLength];
        var b1 = new byte[ExchangeSimulator.MaxMessageLength];
        int n = o.Instruments;
        for (int i = 1; i <= n; i++) Assert.Equal(v0.InitialPriceOf(i), v1.InitialPriceOf(i));

        long differing = 0, compared = 0;
        while (true)
        {
            // Mids at the virtual time of the next message, compared bit for bit: all instruments every 64 messages, one otherwise.
            Assert.Equal(v0.VirtualTimeNs, v1.VirtualTimeNs);
            if (v0.MessagesEmitted % 64 == 0)
                for (int i = 1; i <= n; i++) Assert.Equal(v0.MidOf(i), v1.MidOf(i));
            else
            {
                int i = 1 + (int)(v0.MessagesEmitted % n);
                Assert.Equal(v0.MidOf(i), v1.MidOf(i));
            }

            if (v0.MessagesEmitted >= Messages)
            {
                v0.EndSession();
                v1.EndSession();
            }
            int l0 = v0.NextMessage(b0), l1 = v1.NextMessage(b1);
            Assert.Equal(l0 == 0, l1 == 0);   // the two sessions end together
            if (l0 == 0) break;
            compared++;
            if (!b0.AsSpan(0, l0).SequenceEqual(b1.AsSpan(0, l1))) differing++;
        }
        Assert.Equal(v0.MessagesEmitted, v1.MessagesEmitted);
        // The scenario follows the mids, so it plays out alike: the same halts and the same onset.
        Assert.Equal(v0.Truth.HaltsEmitted, v1.Truth.HaltsEmitted);
        Assert.Equal(v0.Truth.HaltedInstruments, v1.Truth.HaltedInstruments);
        Assert.Equal(v0.Truth.OnsetNs, v1.Truth.OnsetNs);
        // The order flow is another: nearly every random-flow message differs (scripted ones such as system events match).
        Assert.True(differing > compared * 9 / 10, $"{differing} of {compared} messages differ between venue 0 and venue 1");
    }

    [Fact]
    public void Venue_1s_order_flow_stays_valid_and_its_books_follow_the_shared_mids()
    {
        // ItchTape fails on any reference to a dead order, oversized execution or cancel, off-grid price, non-round lot,
        // crossed top of book or timestamp going back.
        var o = Case("flash-crash");
        var (s0, t0) = Tape(o, 300_000);
        var (s1, t1) = Tape(o with { Venue = 1 }, 300_000);
        double off0 = 0, off1 = 0;
        int otherTop = 0;
        for (int i = 1; i <= o.Instruments; i++)
        {
            Assert.Equal(s0.MidOf(i), s1.MidOf(i));
            var (bid0, ask0) = t0.Top(i);
            var (bid1, ask1) = t1.Top(i);
            Assert.True(bid1 > 0 && ask1 > bid1, $"locate {i}: two-sided book on venue 1");
            off0 += Math.Abs((bid0 + ask0) / 2.0 - s0.MidOf(i)) / ExchangeSimulator.Tick;
            off1 += Math.Abs((bid1 + ask1) / 2.0 - s1.MidOf(i)) / ExchangeSimulator.Tick;
            if (bid0 != bid1 || ask0 != ask1) otherTop++;
        }
        off0 /= o.Instruments;
        off1 /= o.Instruments;
        // Both books lag the mid alike (about 15 ticks on average here, after the crash), and they are not the same book.
        Assert.True(off1 < 1.5 * off0 + 2, $"venue 1's book is {off1:F1} ticks from the mid on average, venue 0's {off0:F1}");
        Assert.True(otherTop > o.Instruments / 2, $"{otherTop} of {o.Instruments} tops of book differ between the venues");
    }

    private static (ExchangeSimulator Sim, ItchTape Tape) Tape(SimulatorOptions o, long messages)
    {
        var sim = new ExchangeSimulator(o);
        var tape = new ItchTape(o.Instruments, (uint)o.RoundLot, o.StartTimeNs, 10 * Ms, 100);
        var buf = new byte[ExchangeSimulator.MaxMessageLength];
        while (sim.MessagesEmitted < messages)
        {
            int len = sim.NextMessage(buf);
            Assert.True(len > 0);
            tape.Apply(buf.AsSpan(0, len));
        }
        return (sim, tape);
    }

    [Fact]
    public void The_same_venue_twice_gives_identical_output_and_venues_differ_from_each_other()
    {
        var o = Case("flash-crash");
        string v1 = StreamHash(o with { Venue = 1 }, Messages, out long m1);
        Assert.Equal(v1, StreamHash(o with { Venue = 1 }, Messages, out long m1Again));
        Assert.Equal(m1, m1Again);
        string v2 = StreamHash(o with { Venue = 2 }, Messages, out _);
        Assert.NotEqual(v1, v2);
        Assert.NotEqual(v1, StreamHash(o, Messages, out _));
        Assert.NotEqual(v1, StreamHash(o with { Venue = 1, Seed = 10 }, Messages, out _));
    }

    [Fact]
    public void Venue_1_allocates_nothing_per_message_after_warm_up()
    {
        var sim = new ExchangeSimulator(new SimulatorOptions { Seed = 4, Venue = 1 });
        var buf = new byte[ExchangeSimulator.MaxMessageLength];
        for (int k = 0; k < 20_000; k++) sim.NextMessage(buf);   // warm-up: JIT tiers, start of day
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 200_000; k++) sim.NextMessage(buf);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void Validated_rejects_a_venue_outside_0_to_255_naming_the_setting(int venue)
    {
        var e = Assert.Throws<ArgumentException>(() => new SimulatorOptions { Venue = venue }.Validated());
        Assert.Equal("Venue", e.ParamName);
        Assert.Contains($"Venue={venue}", e.Message);
        Assert.Contains("0..255", e.Message);
        Assert.Throws<ArgumentException>(() => new ExchangeSimulator(new SimulatorOptions { Venue = venue }));
    }

    [Fact]
    public void Validated_accepts_venues_0_to_255_and_defaults_to_0()
    {
        Assert.Equal(0, new SimulatorOptions().Venue);
        Assert.Equal(255, new SimulatorOptions { Venue = 255 }.Validated().Venue);
        Assert.Equal(255, new ExchangeSimulator(new SimulatorOptions { Venue = 255, Instruments = 4, Sectors = 2 }).Options.Venue);
    }
}
