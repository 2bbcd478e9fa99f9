using System;

namespace Wirespeed.Feeds.Sim;

/// <summary>What the simulated market does, beyond its normal random walk.</summary>
public enum SimScenario : byte
{
    /// <summary>Correlated random walk and steady order flow.</summary>
    Normal = 0,
    /// <summary>A fast, large drop across the market with widening spreads and liquidity withdrawal, LULD pauses, then recovery.</summary>
    FlashCrash = 1,
    /// <summary>One sector jumps on news, with volume; the others trade normally.</summary>
    NewsSpike = 2,
    /// <summary>Volume bursts at the open and the close (imbalance messages, crosses) without abnormal volatility.</summary>
    OpenClose = 3,
    /// <summary>The whole market moves together for a while.</summary>
    CorrelatedMove = 4,
}

/// <summary>How message timestamps are produced.</summary>
public enum SimTimestampMode : byte
{
    /// <summary>From the virtual clock, which advances by 1/<see cref="SimulatorOptions.MessagesPerSecond"/> per message: deterministic.</summary>
    Virtual = 0,
    /// <summary>From the realtime clock (ns since UTC midnight) at the moment the packet is sent, for one-way latency.</summary>
    Realtime = 1,
}

/// <summary>
/// Configuration of <see cref="ExchangeSimulator"/>. The same options and seed give byte-identical output.
/// Times are virtual ns; the virtual clock advances by 1/<see cref="MessagesPerSecond"/> per message (faster in bursts).
/// </summary>
public sealed record SimulatorOptions
{
    /// <summary>Seed of the random stream. Default: 1.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// Venue (feed line) of the simulated market, 0..255. Every venue with the same <see cref="Seed"/> and options has the
    /// same instruments and the same mid prices at the same virtual times (random walk, opening prices, scenario); venue
    /// v &gt; 0 draws its order flow (instruments, message kinds, sides, levels, sizes, MPIDs, cross sizes) from a stream of
    /// its own seeded from (Seed, Venue), so its book differs from venue 0's around the same mids: two lines for
    /// cross-venue arbitrage. Venue 0 is the output the simulator has always produced. A venue v &gt; 0 runs venue 0
    /// alongside to keep the price path, so it costs about two messages' work per message. Default: 0.
    /// </summary>
    public int Venue { get; init; }
    /// <summary>Number of instruments (stock locates 1..N). Default: 64.</summary>
    public int Instruments { get; init; } = 64;
    /// <summary>Number of sectors; instrument i belongs to sector i mod Sectors. Default: 8.</summary>
    public int Sectors { get; init; } = 8;
    /// <summary>Share of return variance from the market factor, 0..1. Default: 0.3.</summary>
    public double MarketCorrelation { get; init; } = 0.3;
    /// <summary>Extra share of return variance from the sector factor; MarketCorrelation + SectorCorrelation ≤ 1. Default: 0.3.</summary>
    public double SectorCorrelation { get; init; } = 0.3;
    /// <summary>Standard deviation of relative mid returns over one virtual second. Default: 0.02 (a compressed trading day).</summary>
    public double VolatilityPerSqrtSecond { get; init; } = 0.02;
    /// <summary>Virtual ns between mid-price updates. Default: 1 ms.</summary>
    public long PriceStepNs { get; init; } = 1_000_000;
    /// <summary>Virtual message rate: the virtual clock advances 1e9/rate ns per message. Default: 1,000,000.</summary>
    public double MessagesPerSecond { get; init; } = 1_000_000;
    /// <summary>Virtual time of the first message, ns since midnight. Default: 09:30:00.</summary>
    public long StartTimeNs { get; init; } = 34_200L * 1_000_000_000L;
    /// <summary>Price levels each side on which orders are added. Default: 5.</summary>
    public int DepthLevels { get; init; } = 5;
    /// <summary>Most live orders per instrument (pre-allocated). Default: 64.</summary>
    public int MaxLiveOrdersPerInstrument { get; init; } = 64;
    /// <summary>
    /// How unevenly the order flow spreads over the instruments: instrument of stock locate k draws a share of the flow
    /// proportional to 1/k^ActivitySkew (a Zipf law, as the flow of a real equity market: a few hundred names carry most
    /// of it). 0 = every instrument alike (the simulator's output before this setting existed); 1 = the classic Zipf law
    /// (with 8,000 instruments the top 100 carry about half the flow). 0..3. Default: 0.
    /// </summary>
    public double ActivitySkew { get; init; }
    /// <summary>Round lot in shares; order sizes are multiples of it. Default: 100.</summary>
    public int RoundLot { get; init; } = 100;
    /// <summary>Distance from the mid to the best quotes, in ticks ($0.01). Default: 1.</summary>
    public int HalfSpreadTicks { get; init; } = 1;
    /// <summary>Virtual duration of the session after which closing crosses and end-of-day events are emitted; 0 = until <see cref="ExchangeSimulator.EndSession"/>. Default: 0.</summary>
    public long SessionDurationNs { get; init; }
    /// <summary>The scenario. Default: Normal.</summary>
    public SimScenario Scenario { get; init; } = SimScenario.Normal;
    /// <summary>Scenario onset, virtual ns after the start. Default: 300 ms.</summary>
    public long EventOffsetNs { get; init; } = 300_000_000;
    /// <summary>Duration of the move (crash fall, news jump, correlated move), virtual ns. Default: 100 ms.</summary>
    public long EventDurationNs { get; init; } = 100_000_000;
    /// <summary>Duration of the recovery after a crash (and of the elevated volume after news), virtual ns. Default: 300 ms.</summary>
    public long RecoveryDurationNs { get; init; } = 300_000_000;
    /// <summary>Size of the move as a fraction of price: crash drop, news jump, correlated move. Default: 0.08.</summary>
    public double Magnitude { get; init; } = 0.08;
    /// <summary>Sector that jumps in NewsSpike. Default: 0.</summary>
    public int AffectedSector { get; init; }
    /// <summary>LULD band: a move beyond this fraction from the reference price pauses the instrument. Default: 0.05.</summary>
    public double LuldBand { get; init; } = 0.05;
    /// <summary>Length of an LULD trading pause, virtual ns. Default: 50 ms.</summary>
    public long HaltDurationNs { get; init; } = 50_000_000;
    /// <summary>Length of the open and close bursts in OpenClose, virtual ns. Default: 100 ms.</summary>
    public long AuctionWindowNs { get; init; } = 100_000_000;
    /// <summary>Message-rate multiple during bursts (open/close, news). Default: 5.</summary>
    public double VolumeMultiplier { get; init; } = 5;
    /// <summary>Market-wide correlation during CorrelatedMove. Default: 0.9.</summary>
    public double CorrelatedMoveCorrelation { get; init; } = 0.9;

    /// <summary>Returns this instance if every setting is usable; otherwise throws naming the setting and the fix.</summary>
    public SimulatorOptions Validated()
    {
        if (Venue < 0 || Venue > 255) throw Bad(nameof(Venue), Venue, "must be 0..255 (0 = the reference venue, 1.. = further feed lines of the same market)");
        if (Instruments < 1 || Instruments > 10_000) throw Bad(nameof(Instruments), Instruments, "must be 1..10000 (stock locate is u16; the simulator keeps books for each)");
        if (Sectors < 1 || Sectors > Instruments) throw Bad(nameof(Sectors), Sectors, $"must be 1..{nameof(Instruments)} ({Instruments})");
        if (MarketCorrelation < 0 || SectorCorrelation < 0 || MarketCorrelation + SectorCorrelation > 1)
            throw Bad(nameof(MarketCorrelation), MarketCorrelation, $"and {nameof(SectorCorrelation)}={SectorCorrelation} must be ≥ 0 with a sum ≤ 1, e.g. 0.3 and 0.3");
        if (!(VolatilityPerSqrtSecond >= 0 && VolatilityPerSqrtSecond < 1)) throw Bad(nameof(VolatilityPerSqrtSecond), VolatilityPerSqrtSecond, "must be in [0, 1), e.g. 0.02");
        if (PriceStepNs < 1_000) throw Bad(nameof(PriceStepNs), PriceStepNs, "must be ≥ 1000 ns, e.g. 1000000 (1 ms)");
        if (!(MessagesPerSecond >= 1 && MessagesPerSecond <= 1e9)) throw Bad(nameof(MessagesPerSecond), MessagesPerSecond, "must be 1..1e9, e.g. 1000000");
        if (StartTimeNs < 0 || StartTimeNs >= 86_400L * 1_000_000_000L) throw Bad(nameof(StartTimeNs), StartTimeNs, "must be ns since midnight, below 86400e9");
        if (DepthLevels < 1 || DepthLevels > 100) throw Bad(nameof(DepthLevels), DepthLevels, "must be 1..100, e.g. 5");
        if (MaxLiveOrdersPerInstrument < 4 * DepthLevels || MaxLiveOrdersPerInstrument > 4096)
            throw Bad(nameof(MaxLiveOrdersPerInstrument), MaxLiveOrdersPerInstrument, $"must be 4×{nameof(DepthLevels)} ({4 * DepthLevels})..4096");
        if (!(ActivitySkew >= 0 && ActivitySkew <= 3)) throw Bad(nameof(ActivitySkew), ActivitySkew, "must be 0..3 (0 = uniform, 1 = Zipf), e.g. 1");
        if (RoundLot < 1 || RoundLot > 10_000) throw Bad(nameof(RoundLot), RoundLot, "must be 1..10000, e.g. 100");
        if (HalfSpreadTicks < 1 || HalfSpreadTicks > 1000) throw Bad(nameof(HalfSpreadTicks), HalfSpreadTicks, "must be 1..1000, e.g. 1");
        if (SessionDurationNs < 0) throw Bad(nameof(SessionDurationNs), SessionDurationNs, "must be ≥ 0 (0 = until EndSession)");
        if (Scenario == SimScenario.OpenClose && SessionDurationNs < 3 * AuctionWindowNs)
            throw Bad(nameof(SessionDurationNs), SessionDurationNs, $"must be at least 3×{nameof(AuctionWindowNs)} ({3 * AuctionWindowNs}) for the OpenClose scenario, e.g. 1000000000");
        if (!Enum.IsDefined(Scenario)) throw Bad(nameof(Scenario), Scenario, "is not a known scenario");
        if (EventOffsetNs < 0 || EventDurationNs <= 0 || RecoveryDurationNs <= 0)
            throw Bad(nameof(EventOffsetNs), EventOffsetNs, $"must be ≥ 0 and {nameof(EventDurationNs)}, {nameof(RecoveryDurationNs)} > 0");
        if (!(Magnitude >= 0 && Magnitude < 0.5)) throw Bad(nameof(Magnitude), Magnitude, "must be in [0, 0.5), e.g. 0.08");
        if (AffectedSector < 0 || AffectedSector >= Sectors) throw Bad(nameof(AffectedSector), AffectedSector, $"must be 0..{Sectors - 1}");
        if (!(LuldBand > 0 && LuldBand < 0.5)) throw Bad(nameof(LuldBand), LuldBand, "must be in (0, 0.5), e.g. 0.05");
        if (HaltDurationNs <= 0) throw Bad(nameof(HaltDurationNs), HaltDurationNs, "must be > 0, e.g. 50000000");
        if (AuctionWindowNs <= 0) throw Bad(nameof(AuctionWindowNs), AuctionWindowNs, "must be > 0, e.g. 100000000");
        if (!(VolumeMultiplier >= 1 && VolumeMultiplier <= 100)) throw Bad(nameof(VolumeMultiplier), VolumeMultiplier, "must be 1..100, e.g. 5");
        if (!(CorrelatedMoveCorrelation >= 0 && CorrelatedMoveCorrelation <= 1)) throw Bad(nameof(CorrelatedMoveCorrelation), CorrelatedMoveCorrelation, "must be 0..1, e.g. 0.9");
        return this;
    }

    private static ArgumentException Bad(string name, object value, string fix) => new($"{name}={value} {fix}.", name);
}
