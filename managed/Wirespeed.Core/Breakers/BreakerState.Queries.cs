using System;
using Wirespeed.Core.Signals;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Breakers;

// Levels and what they mean for signals and patterns: any thread.
public sealed partial class BreakerState
{
    // ---------------------------------------------------------------- queries (any thread)

    /// <summary>The instrument's own level (Normal for an id out of range).</summary>
    public BreakerLevel InstrumentLevel(int instrument)
        => (uint)instrument < (uint)_instLevel.Length ? (BreakerLevel)Volatile.Read(ref _instLevel[instrument]) : BreakerLevel.Normal;

    /// <summary>A sector's level.</summary>
    public BreakerLevel SectorLevel(int sector)
        => (uint)sector < (uint)_sectorLevel.Length ? (BreakerLevel)Volatile.Read(ref _sectorLevel[sector]) : BreakerLevel.Normal;

    /// <summary>The market's level.</summary>
    public BreakerLevel MarketLevel => (BreakerLevel)Volatile.Read(ref _marketLevel);

    /// <summary>Highest of the instrument's, its sector's and the market's level: what governs its signals. Two loads:
    /// the breaker thread keeps max(instrument, sector) current at every transition of the instrument or its sector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BreakerLevel EffectiveLevel(int instrument)
    {
        int level = Volatile.Read(ref _marketLevel);
        if ((uint)instrument < (uint)_effective.Length) level = Math.Max(level, Volatile.Read(ref _effective[instrument]));
        return (BreakerLevel)level;
    }

    /// <summary>
    /// True when some scope (instrument, sector or the market) is at <paramref name="level"/> or above: when false, every
    /// instrument's effective level is below it, so a per-instrument query can be skipped. One load; any thread (as
    /// fresh as <see cref="EffectiveLevel"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AnyAtOrAbove(BreakerLevel level) => Volatile.Read(ref _scopesAtLeast[(int)level & 3]) != 0 || level == BreakerLevel.Normal;

    /// <summary>Responses configured for <paramref name="level"/>.</summary>
    public BreakerResponse ResponsesOf(BreakerLevel level) => Volatile.Read(ref _settings).Responses[(int)level & 3];

    /// <summary>Allow, Throttle or Suppress for signals on <paramref name="instrument"/>, from its effective level's responses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SignalPolicy SignalPolicyFor(int instrument)
    {
        var r = Volatile.Read(ref _settings).Responses[(int)EffectiveLevel(instrument)];
        if ((r & BreakerResponse.SuppressSignals) != 0) return SignalPolicy.Suppress;
        return (r & BreakerResponse.ThrottleSignals) != 0 ? SignalPolicy.Throttle : SignalPolicy.Allow;
    }

    /// <summary>Factor (≥ 1) by which pattern thresholds are widened for <paramref name="instrument"/>; 1 unless its level widens thresholds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ThresholdMultiplier(int instrument)
    {
        int level = (int)EffectiveLevel(instrument);
        var settings = Volatile.Read(ref _settings); // one set for both reads
        return (settings.Responses[level] & BreakerResponse.WidenThresholds) != 0 ? settings.Multipliers[level] : 1.0;
    }

    /// <summary>True when pattern stages should run their conservative pattern set for <paramref name="instrument"/>.</summary>
    public bool UseConservativePatterns(int instrument)
        => (Volatile.Read(ref _settings).Responses[(int)EffectiveLevel(instrument)] & BreakerResponse.ConservativePatterns) != 0;

    /// <summary>
    /// Signal gate for one signal thread: true if a signal on <paramref name="instrument"/> at
    /// <paramref name="exchangeNs"/> may go out (Allow; Throttle at most once per
    /// <see cref="BreakerOptions.ThrottleIntervalNs"/>; never under Suppress). Single caller thread.
    /// </summary>
    public bool TryAdmitSignal(int instrument, long exchangeNs)
    {
        switch (SignalPolicyFor(instrument))
        {
            case SignalPolicy.Allow: return true;
            case SignalPolicy.Suppress: return false;
        }
        if ((uint)instrument >= (uint)_lastSignalNs.Length) return false;
        ref long last = ref _lastSignalNs[instrument];
        if (last != long.MinValue && exchangeNs - last < Volatile.Read(ref _settings).ThrottleNs) return false;
        last = exchangeNs;
        return true;
    }

    /// <summary>Current figure of a detector for an instrument (breaker thread, or tests after the run).</summary>
    public double Figure(int instrument, BreakerDetector detector)
    {
        if ((uint)instrument >= (uint)_inst.Length) return 0;
        ref var s = ref _inst[instrument];
        return detector switch
        {
            BreakerDetector.PriceBand => s.BandFigure,
            BreakerDetector.Volatility => s.VolFigure,
            BreakerDetector.MessageRate => s.RateFigure,
            BreakerDetector.Spread => s.SpreadBps,
            _ => 0,
        };
    }
}
