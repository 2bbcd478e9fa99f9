using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Priority;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

// The configuration convention, in one place:
// - The file binds only to the section classes of this folder (WirespeedConfig and its sections); a library's options
//   type (Core or Feeds *Options) is never bound from JSON, so its shape can change without changing the file's.
// - Each section documents every default ("Default: …"); where the library's options type has the default, the section
//   takes it from a static instance of that type, so no number is written twice.
// - Each section maps onto the library's options with ToOptions(): lines (a socket and a MoldUDP64 session), books,
//   priority and breakers below (the breakers' detectors beside their classes in BreakersConfig.cs), patterns through
//   PatternConfigMapper (symbols resolved to instruments, then the plan), the pipeline through PipelinePlan (idle
//   strategy auto decided for this machine).
// - The library's Validated() holds the library's rules: ConfigValidator calls it on the mapped options and adds only
//   what the library cannot know (names, cross-section limits, the host).
// - Validation resolves the file once (ConfigValidator.Resolve → ResolvedConfig: the lines' sockets, the pipeline plan,
//   the priority and breaker options, the instrument universe and the pattern plan) and start-up (LineTransport,
//   FeedHost, FeedPatterns), SIGHUP's reload and check-config all take that result: what was validated is what runs,
//   and nothing is mapped twice. Books and MoldUDP64 sessions are field copies made where they are used.
// - Enumerated settings are enums read by a JSON converter that names the allowed values (ConfigNames.cs), parsed once.

public sealed partial class LineConfig
{
    /// <summary>The line's socket: group, port, interface, receive buffer, datagram size, line id.</summary>
    public UdpOptions ToUdpOptions() => new()
    {
        Group = Group, Port = Port, Interface = Interface, ReceiveBufferBytes = ReceiveBufferBytes,
        LineId = (byte)Id, MaxDatagramBytes = MaxDatagramBytes,
    };

    /// <summary>The line's MoldUDP64 sequencing: a configured session is enforced; none adopts the first seen.</summary>
    public MoldSessionOptions ToSessionOptions() => new() { InitialSequence = 0, ExpectedSession = Session };
}

public sealed partial class BookConfig
{
    /// <summary>The books of one line; <paramref name="name"/> prefixes their memory accounts (e.g. "book.A").</summary>
    public BookOptions ToOptions(string name) => new()
    {
        MaxInstruments = MaxInstruments, MaxLiveOrders = MaxOrders, MaxLevelsPerSide = MaxLevelsPerSide, Name = name,
    };
}

public sealed partial class PriorityConfig
{
    /// <summary>The library's options, one to one (the keys are the library's).</summary>
    public PriorityOptions ToOptions()
    {
        var rules = new List<RuleOptions>(Rules.Count);
        foreach (var r in Rules)
            rules.Add(new RuleOptions { Type = r.Type, Enabled = r.Enabled, Lane = r.Lane, OtherLane = r.OtherLane, Bps = r.Bps, Shares = r.Shares });
        var phases = new List<PhaseOptions>(Phases.Count);
        foreach (var p in Phases) phases.Add(new PhaseOptions { Name = p.Name, Start = p.Start, End = p.End, Shift = p.Shift });
        return new PriorityOptions
        {
            Rules = rules, DefaultLane = DefaultLane, WatchInstruments = WatchInstruments.ToArray(), WatchSectors = WatchSectors.ToArray(),
            OpenTime = OpenTime, CloseTime = CloseTime, ImbalanceWindowSeconds = ImbalanceWindowSeconds, MidnightEpochNs = MidnightEpochNs,
            Phases = phases, SurgeMessagesPerWindow = SurgeMessagesPerWindow, SurgeWindowNs = SurgeWindowNs, SurgeShift = SurgeShift,
            BreakerPromoteLevel = BreakerPromoteLevel, BreakerShift = BreakerShift, MaxInstruments = MaxInstruments,
            LaneCapacity = LaneCapacity, AgingBound = AgingBound.ToArray(), LowerLaneBatchLimit = LowerLaneBatchLimit,
            ChangeLogCapacity = ChangeLogCapacity,
        };
    }
}

public sealed partial class BreakersConfig
{
    /// <summary>The library's options, one to one (the keys are the library's; detectors map beside their classes).</summary>
    public BreakerOptions ToOptions() => new()
    {
        Enabled = Enabled, MaxInstruments = MaxInstruments, MaxSectors = MaxSectors,
        PriceBand = PriceBand.ToOptions(), Volatility = Volatility.ToOptions(), MessageRate = MessageRate.ToOptions(),
        Spread = Spread.ToOptions(), OneSidedBook = OneSidedBook.ToOptions(), Exchange = Exchange.ToOptions(),
        MinHoldNs = MinHoldNs, StepDownWindowNs = StepDownWindowNs, SectorEntryShare = SectorEntryShare, SectorExitShare = SectorExitShare,
        MinSectorMembers = MinSectorMembers, MinMarketMembers = MinMarketMembers, MarketEntryShare = MarketEntryShare,
        MarketExitShare = MarketExitShare, CautionResponses = CautionResponses.ToArray(), RestrictedResponses = RestrictedResponses.ToArray(),
        HaltedResponses = HaltedResponses.ToArray(), ThresholdMultipliers = ThresholdMultipliers.ToArray(),
        ThrottleIntervalNs = ThrottleIntervalNs, TransitionLogCapacity = TransitionLogCapacity,
    };
}
