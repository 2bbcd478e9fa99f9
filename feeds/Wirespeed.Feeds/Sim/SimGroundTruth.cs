using System.Collections.Generic;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// What the simulator did on purpose, for tests and later issues (pattern detection, breakers) to check against.
/// Times are virtual ns since midnight (the same clock as the ITCH timestamps in <see cref="SimTimestampMode.Virtual"/>);
/// -1 means "did not happen". Instruments are named by stock locate (1..N). Written by the simulator thread only.
/// </summary>
public sealed class SimGroundTruth
{
    internal SimGroundTruth(SimScenario scenario, int instruments)
    {
        Scenario = scenario;
        HaltedInstruments = new List<int>(instruments);
    }

    /// <summary>The scenario that ran.</summary>
    public SimScenario Scenario { get; }
    /// <summary>Virtual time of the first message.</summary>
    public long SessionStartNs { get; internal set; }
    /// <summary>When the scenario's event began (crash onset, news, correlated move); -1 before it or for Normal/OpenClose.</summary>
    public long OnsetNs { get; internal set; } = -1;
    /// <summary>Index (0-based, counting every emitted message) of the first message at or after the onset.</summary>
    public long OnsetMessageIndex { get; internal set; } = -1;
    /// <summary>When the move ended: the crash bottom, the end of the news jump or of the correlated move.</summary>
    public long MoveEndNs { get; internal set; } = -1;
    /// <summary>When a flash crash had recovered to its pre-crash level.</summary>
    public long RecoveryEndNs { get; internal set; } = -1;
    /// <summary>Locates of the instruments the scenario moves (all for FlashCrash and CorrelatedMove, one sector for NewsSpike).</summary>
    public int[] AffectedInstruments { get; internal set; } = [];
    /// <summary>Sector that jumped in NewsSpike; -1 otherwise.</summary>
    public int SpikeSector { get; internal set; } = -1;
    /// <summary>Signed size of the intended move (negative for a drop).</summary>
    public double IntendedMove { get; internal set; }
    /// <summary>Locates paused by LULD, in the order the halts were emitted.</summary>
    public List<int> HaltedInstruments { get; }
    /// <summary>Stock Trading Action 'H' messages with state 'H' emitted after the start of day.</summary>
    public int HaltsEmitted { get; internal set; }
    /// <summary>Stock Trading Action 'H' messages with state 'T' that ended a pause.</summary>
    public int ResumesEmitted { get; internal set; }
    /// <summary>LULD Auction Collar 'J' messages emitted.</summary>
    public int CollarsEmitted { get; internal set; }
    /// <summary>Whether the market-wide circuit breaker level 1 was breached (MWCB Status 'W' emitted).</summary>
    public bool MwcbLevel1Breached { get; internal set; }
    /// <summary>End of the opening burst (OpenClose); -1 otherwise.</summary>
    public long OpenBurstEndNs { get; internal set; } = -1;
    /// <summary>Start of the closing burst (OpenClose); -1 otherwise.</summary>
    public long CloseBurstStartNs { get; internal set; } = -1;
    /// <summary>Virtual time at which the end-of-day events were queued; -1 while the session runs.</summary>
    public long SessionEndNs { get; internal set; } = -1;
}
