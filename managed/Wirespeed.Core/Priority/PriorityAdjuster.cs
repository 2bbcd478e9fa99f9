using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Priority;

/// <summary>Why priorities were re-weighted.</summary>
public enum PriorityChangeReason : byte
{
    /// <summary>A configured market phase began (Id = phase index) or ended (NewShift = 0).</summary>
    Phase = 1,
    /// <summary>A volume surge began or ended; Figure = messages in the surge window.</summary>
    VolumeSurge = 2,
    /// <summary>An instrument's breaker level crossed the promote level; Id = instrument, Figure = the level.</summary>
    BreakerLevel = 3,
    /// <summary>A new rule set took effect; Id = its version.</summary>
    Reconfigured = 4,
}

/// <summary>One re-weighting, as kept in <see cref="PriorityAdjuster.Changes"/>.</summary>
public struct PriorityChange
{
    public long ExchangeNs;
    public long MonoNs;
    public double Figure;
    public int Id;
    public sbyte OldShift;
    public sbyte NewShift;
    public PriorityChangeReason Reason;

    public override readonly string ToString() => $"{Reason} {Id}: shift {OldShift} -> {NewShift} (figure {Figure:G4}) at exchange {ExchangeNs} ns";
}

/// <summary>
/// Dynamic adjustment of lanes at run time, without restart or allocation: a market phase by time of day, a volume
/// surge (messages per exchange-time window over all instruments; shifts Normal and Bulk only) and an instrument's
/// breaker level each add a shift;
/// the final lane is the rule's lane plus the shifts, kept within High..Bulk. Critical is never shifted, and nothing is
/// ever shifted into Critical. Every change goes into a bounded change log (structs, no formatting). Classify thread only.
/// </summary>
public sealed class PriorityAdjuster
{
    private readonly BreakerState? _breakers;
    private readonly sbyte[] _instrumentShift;
    private int _shifted; // instruments whose _instrumentShift is not 0
    private int _phase = -1;
    private int _phaseShift;
    private long _phaseCheckNs = long.MinValue;
    private bool _surging;
    private long _surgeWindowEndNs;
    private long _surgeCount;

    /// <param name="maxInstruments">Instrument ids 0..N-1 get a breaker shift.</param>
    /// <param name="breakers">Breaker levels to follow; null for none.</param>
    /// <param name="changeLogCapacity">Changes kept.</param>
    public PriorityAdjuster(int maxInstruments, BreakerState? breakers, int changeLogCapacity)
    {
        _breakers = breakers;
        _instrumentShift = new sbyte[Math.Max(1, maxInstruments)];
        Changes = new BoundedLog<PriorityChange>(changeLogCapacity);
    }

    /// <summary>Every re-weighting; the monitor reads it.</summary>
    public BoundedLog<PriorityChange> Changes { get; }

    /// <summary>Whether a volume surge is in force.</summary>
    public bool Surging => _surging;

    /// <summary>Index of the phase in force, -1 for none.</summary>
    public int Phase => _phase;

    /// <summary>Returns the lane for <paramref name="ruleLane"/> after the shifts in force at the event's time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lane Adjust(ref MarketEvent evt, Lane ruleLane, CompiledRuleSet rules, long monoNs)
    {
        long ts = evt.ExchangeTimestampNs;
        if (ts >= _phaseCheckNs) UpdatePhase(ts, rules, monoNs);
        int shift = _phaseShift;
        if (rules.SurgeThreshold > 0)
        {
            if (ts >= _surgeWindowEndNs) RollSurge(ts, rules, monoNs);
            if (++_surgeCount >= rules.SurgeThreshold && !_surging) SetSurge(true, ts, rules, monoNs);
            if (_surging && ruleLane >= Lane.Normal) shift += rules.SurgeShift; // High keeps its lane: the surge makes room for it
        }
        // Most of a day no scope is at the promote level and no instrument is shifted: then every instrument's shift is
        // and stays 0, and the per-instrument lookup is skipped.
        if (_breakers is not null && rules.BreakerPromoteLevel != BreakerLevel.Normal && (_shifted != 0 || _breakers.AnyAtOrAbove(rules.BreakerPromoteLevel)))
            shift += BreakerShift(evt.Instrument, ts, rules, monoNs);
        if (ruleLane == Lane.Critical || shift == 0) return ruleLane;
        int lane = Math.Clamp((int)ruleLane + shift, (int)Lane.High, (int)Lane.Bulk);
        return (Lane)lane;
    }

    /// <summary>
    /// <see cref="Adjust"/> for the common event, with no call: no phase boundary, surge window end or surge start due,
    /// and no change of the instrument's breaker shift to log. False (and nothing changed) otherwise: then call
    /// <see cref="Adjust"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryAdjustCommon(ref MarketEvent evt, Lane ruleLane, CompiledRuleSet rules, out Lane lane)
    {
        lane = ruleLane;
        long ts = evt.ExchangeTimestampNs;
        if (ts >= _phaseCheckNs) return false;
        int shift = _phaseShift;
        long threshold = rules.SurgeThreshold;
        if (threshold > 0)
        {
            if (ts >= _surgeWindowEndNs || (_surgeCount + 1 >= threshold && !_surging)) return false;
            if (_surging && ruleLane >= Lane.Normal) shift += rules.SurgeShift;
        }
        if (_breakers is not null && rules.BreakerPromoteLevel != BreakerLevel.Normal && (_shifted != 0 || _breakers.AnyAtOrAbove(rules.BreakerPromoteLevel)))
        {
            int instrument = evt.Instrument;
            if ((uint)instrument < (uint)_instrumentShift.Length)
            {
                int want = _breakers.EffectiveLevel(instrument) >= rules.BreakerPromoteLevel ? rules.BreakerShift : 0;
                if (want != _instrumentShift[instrument]) return false; // a change to log
                shift += want;
            }
        }
        if (threshold > 0) _surgeCount++;
        if (ruleLane != Lane.Critical && shift != 0) lane = (Lane)Math.Clamp((int)ruleLane + shift, (int)Lane.High, (int)Lane.Bulk);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BreakerShift(int instrument, long ts, CompiledRuleSet rules, long monoNs)
    {
        if ((uint)instrument >= (uint)_instrumentShift.Length) return 0;
        int want = _breakers!.EffectiveLevel(instrument) >= rules.BreakerPromoteLevel ? rules.BreakerShift : 0;
        int have = _instrumentShift[instrument];
        if (want != have) LogInstrument(instrument, have, want, ts, monoNs);
        return want;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LogInstrument(int instrument, int have, int want, long ts, long monoNs)
    {
        _instrumentShift[instrument] = (sbyte)want;
        _shifted += (want != 0 ? 1 : 0) - (have != 0 ? 1 : 0);
        Log(PriorityChangeReason.BreakerLevel, instrument, have, want, (int)_breakers!.EffectiveLevel(instrument), ts, monoNs);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UpdatePhase(long ts, CompiledRuleSet rules, long monoNs)
    {
        if (rules.PhaseStart.Length == 0 && _phase < 0)
        {
            _phaseCheckNs = long.MaxValue; // no phases: never again, until a reconfiguration resets it
            return;
        }
        long midnight = ts - ((ts - rules.MidnightEpochNs) % CompiledRuleSet.DayNs);
        long tod = ts - midnight;
        int found = -1;
        long next = CompiledRuleSet.DayNs; // re-check at the next boundary of any phase, or at midnight
        for (int i = 0; i < rules.PhaseStart.Length; i++)
        {
            long s = rules.PhaseStart[i], e = rules.PhaseEnd[i];
            if (found < 0 && tod >= s && tod < e) found = i;
            if (s > tod) next = Math.Min(next, s);
            if (e > tod) next = Math.Min(next, e);
        }
        _phaseCheckNs = midnight + next;
        if (found == _phase) return;
        int old = _phaseShift;
        _phase = found;
        _phaseShift = found < 0 ? 0 : rules.PhaseShift[found];
        Log(PriorityChangeReason.Phase, found, old, _phaseShift, found, ts, monoNs);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RollSurge(long ts, CompiledRuleSet rules, long monoNs)
    {
        long ended = _surgeCount;
        if (_surgeWindowEndNs == 0) _surgeWindowEndNs = ts + rules.SurgeWindowNs;
        else
        {
            long windows = 1 + (ts - _surgeWindowEndNs) / rules.SurgeWindowNs;
            if (windows > 1) ended = 0; // the windows skipped had no message at all
            _surgeWindowEndNs += windows * rules.SurgeWindowNs;
        }
        _surgeCount = 0;
        if (_surging && ended < rules.SurgeThreshold) SetSurge(false, ts, rules, monoNs, ended);
    }

    private void SetSurge(bool on, long ts, CompiledRuleSet rules, long monoNs, long figure = -1)
    {
        _surging = on;
        Log(PriorityChangeReason.VolumeSurge, 0, on ? 0 : rules.SurgeShift, on ? rules.SurgeShift : 0, figure < 0 ? _surgeCount : figure, ts, monoNs);
    }

    /// <summary>Classify thread: records that a new rule set took effect (shifts from phases are re-evaluated at the next event).</summary>
    public void OnReconfigured(CompiledRuleSet rules, long exchangeNs, long monoNs)
    {
        _phaseCheckNs = long.MinValue;
        Log(PriorityChangeReason.Reconfigured, rules.Version, 0, 0, rules.Version, exchangeNs, monoNs);
    }

    private void Log(PriorityChangeReason reason, int id, int oldShift, int newShift, double figure, long ts, long monoNs)
        => Changes.Append(new PriorityChange
        {
            ExchangeNs = ts, MonoNs = monoNs, Figure = figure, Id = id, OldShift = (sbyte)oldShift, NewShift = (sbyte)newShift, Reason = reason,
        });
}
