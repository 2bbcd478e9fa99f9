using System;

namespace Wirespeed.Core.Breakers;

/// <summary>Protection level of a scope; higher is more restrictive. Levels are entered at once and left one at a time.</summary>
public enum BreakerLevel : byte
{
    Normal = 0,
    Caution = 1,
    Restricted = 2,
    Halted = 3,
}

/// <summary>What a breaker protects.</summary>
public enum BreakerScope : byte
{
    Instrument = 0,
    Sector = 1,
    Market = 2,
}

/// <summary>What moved a level. Figures in <see cref="BreakerTransition"/> are in the detector's unit, listed here.</summary>
public enum BreakerDetector : byte
{
    /// <summary>No detector: a step down after conditions stayed normal for the configured window.</summary>
    Recovery = 0,
    /// <summary>Move from the reference price, as a fraction (0.05 = 5 %).</summary>
    PriceBand = 1,
    /// <summary>Realised volatility, standard deviation of log returns per √second.</summary>
    Volatility = 2,
    /// <summary>Messages in the current window over the baseline per window (a ratio).</summary>
    MessageRate = 3,
    /// <summary>Spread over mid in basis points, sustained.</summary>
    Spread = 4,
    /// <summary>Seconds (exchange time) the book has had one side empty.</summary>
    OneSidedBook = 5,
    /// <summary>Exchange-declared state (ITCH H trading action, h operational halt, J LULD collar); figure = the state code.</summary>
    Exchange = 6,
    /// <summary>Exchange-declared market-wide circuit breaker (ITCH W); figure = the breached level (1..3).</summary>
    Mwcb = 7,
    /// <summary>Share of a sector's or the market's instruments at or above the level (0..1).</summary>
    ScopeShare = 8,
    /// <summary>
    /// New settings took effect at run time (SIGHUP): one market-scope entry per reload with From = To = the market's
    /// level, figure = the new settings version, threshold = the version it replaced; also the detector of the steps to
    /// Normal when a reload turns the breakers off. Neither a trip nor a recovery: counted in neither.
    /// </summary>
    Reconfigured = 9,
}

/// <summary>Response strategies a level can select (configuration names in camelCase: "widenThresholds" …).</summary>
[Flags]
public enum BreakerResponse : byte
{
    None = 0,
    /// <summary>Pattern thresholds are multiplied by the level's <see cref="BreakerOptions.ThresholdMultipliers"/> entry.</summary>
    WidenThresholds = 1,
    /// <summary>Signals pass at most once per throttle interval per instrument.</summary>
    ThrottleSignals = 2,
    /// <summary>No signals at all.</summary>
    SuppressSignals = 4,
    /// <summary>Entering the level calls <see cref="IBreakerActions.CancelAll"/> once.</summary>
    CancelAll = 8,
    /// <summary>Pattern stages switch to their conservative pattern set.</summary>
    ConservativePatterns = 16,
    /// <summary>Entering the level calls <see cref="IBreakerActions.Alert"/>.</summary>
    Alert = 32,
}

/// <summary>
/// One level change, as recorded in <see cref="BreakerState.Transitions"/>: which scope, from and to, the detector and
/// the figure that tripped it against its threshold, and when (exchange ns of the event and monotonic ns of the stage).
/// </summary>
public struct BreakerTransition
{
    public long ExchangeNs;
    public long MonoNs;
    public double Figure;
    public double Threshold;
    /// <summary>Instrument id, sector id, or 0 for the market.</summary>
    public int Id;
    public BreakerScope Scope;
    public BreakerLevel From;
    public BreakerLevel To;
    public BreakerDetector Detector;

    public override readonly string ToString() =>
        $"{Scope} {Id}: {From} -> {To} by {Detector} (figure {Figure:G4}, threshold {Threshold:G4}) at exchange {ExchangeNs} ns, mono {MonoNs} ns";
}

/// <summary>
/// Actions the breakers ask of the outside world, implemented by a struct so the breaker stage calls them directly.
/// Called on the breaker stage's thread, inside the event's processing: hand the work off (a ring to the OMS sink, a
/// flag for the monitor); never block.
/// </summary>
public interface IBreakerActions
{
    /// <summary>A scope entered a level whose responses include <see cref="BreakerResponse.CancelAll"/>.</summary>
    void CancelAll(in BreakerTransition transition);

    /// <summary>A scope entered a level whose responses include <see cref="BreakerResponse.Alert"/>.</summary>
    void Alert(in BreakerTransition transition);
}

/// <summary>Does nothing: for pipelines with no OMS sink and tests.</summary>
public struct NoBreakerActions : IBreakerActions
{
    public readonly void CancelAll(in BreakerTransition transition) { }
    public readonly void Alert(in BreakerTransition transition) { }
}
