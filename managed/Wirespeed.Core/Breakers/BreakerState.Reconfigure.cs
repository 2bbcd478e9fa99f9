using System;
using System.Threading;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Breakers;

// Reconfiguration: validate and hand over new settings (any thread), take them between events (breaker thread).
public sealed partial class BreakerState
{
    // ---------------------------------------------------------------- reconfiguration (cold path, any thread)

    /// <summary>
    /// Validates and compiles <paramref name="options"/> for a reload, without touching the settings in force. False with
    /// <paramref name="error"/> naming the field and the fix when invalid, or when it changes a setting fixed at start-up
    /// (maxInstruments, maxSectors, transitionLogCapacity: tables and the log are sized once). <paramref name="next"/> is
    /// null when nothing differs from the newest settings. Hand the result to <see cref="Reconfigure"/>.
    /// </summary>
    public bool TryPrepare(BreakerOptions options, out BreakerSettings? next, out string? error)
    {
        lock (_reconfigureGate) // serialises reconfigurations only; the breaker thread never takes it
        {
            next = null;
            try
            {
                if (options is null) throw new BreakerConfigException("breakers", "breakers: configuration section missing.");
                var newest = _newest;
                var old = newest.Options;
                options.Validated();
                if (options.MaxInstruments != old.MaxInstruments)
                    throw BreakerConfigException.Field("breakers.maxInstruments", options.MaxInstruments, $"cannot change at run time (running with {old.MaxInstruments}); restart to resize");
                if (options.MaxSectors != old.MaxSectors)
                    throw BreakerConfigException.Field("breakers.maxSectors", options.MaxSectors, $"cannot change at run time (running with {old.MaxSectors}); restart to resize");
                if (options.TransitionLogCapacity != old.TransitionLogCapacity)
                    throw BreakerConfigException.Field("breakers.transitionLogCapacity", options.TransitionLogCapacity, $"cannot change at run time (running with {old.TransitionLogCapacity}); restart to resize");
                var candidate = new BreakerSettings(options, newest.Version + 1, newest);
                error = null;
                if (candidate.Changes.Count > 0) next = candidate;
                return true;
            }
            catch (BreakerConfigException e)
            {
                Interlocked.Increment(ref _rejected);
                error = e.Message;
                return false;
            }
        }
    }

    /// <summary>
    /// Hands <paramref name="next"/> (from <see cref="TryPrepare"/> on this state, the newest prepared) to the breaker
    /// thread, which applies it at the start of its next event and records a <see cref="BreakerDetector.Reconfigured"/>
    /// transition. Until then the old settings stay in force (an idle line changes nothing). Any thread, cold path.
    /// </summary>
    public void Reconfigure(BreakerSettings next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_reconfigureGate)
        {
            if (next.Version != _newest.Version + 1)
                throw new InvalidOperationException($"breaker settings v{next.Version} were prepared against v{next.Version - 1}, but v{_newest.Version} is the newest: prepare again");
            _newest = next;
            Volatile.Write(ref _pending, next); // release: the settings are complete before the breaker thread can see them
            Interlocked.Or(ref _gate, Pending);
        }
    }

    /// <summary><see cref="TryPrepare"/> then <see cref="Reconfigure"/>; true also when nothing changed.</summary>
    public bool TryReconfigure(BreakerOptions options, out string? error)
    {
        if (!TryPrepare(options, out var next, out error)) return false;
        if (next is not null) Reconfigure(next);
        return true;
    }

    /// <summary>Copies the hot-path fields of <paramref name="s"/> into this object and publishes it. Breaker thread (or constructor).</summary>
    private void Apply(BreakerSettings s)
    {
        _enabled = s.Enabled;
        if (s.Enabled) Interlocked.And(ref _gate, ~Disabled);
        else Interlocked.Or(ref _gate, Disabled);
        _band = s.Band; _vol = s.Vol; _rate = s.Rate; _spread = s.Spread; _oneSided = s.OneSided;
        _bandInvTau = s.BandInvTau;
        _volIntervalNs = s.VolIntervalNs;
        _volIntervalSeconds = s.VolIntervalSeconds;
        _volAlpha1 = s.VolAlpha1;
        _rateWindowNs = s.RateWindowNs;
        _rateAlpha = s.RateAlpha;
        _rateMinBaseline = s.RateMinBaseline;
        _spreadSustainNs = s.SpreadSustainNs;
        _minHoldNs = s.MinHoldNs;
        _windowNs = s.WindowNs;
        _mwcbHoldNs = s.MwcbHoldNs;
        _sectorEntry = s.SectorEntry; _sectorExit = s.SectorExit;
        _marketEntry = s.MarketEntry; _marketExit = s.MarketExit;
        _minSectorMembers = s.MinSectorMembers;
        _minMarketMembers = s.MinMarketMembers;
        _collarLevel = s.CollarLevel;
        _opHaltLevel = s.OpHaltLevel;
        _mwcbLevel = s.MwcbLevel;
        Volatile.Write(ref _settings, s); // release; pairs with the acquire of the queries
    }

    /// <summary>
    /// Takes the settings handed over by <see cref="Reconfigure"/> (breaker thread, before the event at
    /// <paramref name="ts"/>). What carries over: every level, hold timer and recovery window; the reference price, the
    /// volatility EWMA (rescaled when the sample interval changes, so the figure in σ per √s is the same) and the
    /// message-rate baseline (rescaled when the window changes; the window in progress ends at its old length). What the
    /// new settings decide at once: the fast-path bounds of every instrument, the levels the exchange states in force
    /// impose (a halt declared under haltLevel "halted" now imposes the new haltLevel), whether a wide spread has
    /// started its sustain time (from now, if the new lowest entry makes it wide), and the MWCB hold (from the breach).
    /// Scopes are re-evaluated at their next event: a level the new thresholds no longer hold steps down after the
    /// recovery window as usual; one they exceed rises at once. Responses apply from the next query; a level's entry
    /// actions (cancel-all, alert) fire at the next entry into it. Turning the breakers off puts every scope back to
    /// Normal now (recorded as Reconfigured transitions); turning them on again starts every detector afresh, as at
    /// start-up, since nothing was observed in between.
    /// </summary>
    private void TakePending<TActions>(long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        var next = Interlocked.Exchange(ref _pending, null);
        if (next is null) return;
        var old = _settings;
        bool wasEnabled = _enabled;
        Apply(next);
        double volScale = (double)next.VolIntervalNs / old.VolIntervalNs;
        double rateScale = (double)next.RateWindowNs / old.RateWindowNs;
        for (int i = 0; i < _activeCount; i++)
        {
            int id = _activeIds[i];
            ref var s = ref _inst[id];
            if (!wasEnabled && _enabled) ResetDetectors(ref s);
            s.VolVar *= volScale;
            if (s.RateHasBaseline)
            {
                s.RateBaseline *= rateScale;
                SetRateScale(ref s);
            }
            RefreshExchangeLevels(ref s);
            if (SpreadAtLeast(in s, _spread.LowestEntry)) { if (s.SpreadSinceNs == 0) s.SpreadSinceNs = ts; }
            else s.SpreadSinceNs = 0;
            s.EvalDueNs = long.MinValue; // every instrument is evaluated under the new thresholds at its next event
        }
        if (!wasEnabled && _enabled) _mwcbActive = false;
        if (_mwcbActive) _mwcbUntilNs = _mwcbAtNs + _mwcbHoldNs;
        for (int i = 0; i < _sector.Length; i++) _sector[i].NextStepNs = long.MinValue;
        MarkMarketDirty();
        if (wasEnabled && !_enabled) AllToNormal(ts, monoNs, ref actions);
        Record(BreakerScope.Market, 0, _market.Level, _market.Level, BreakerDetector.Reconfigured, next.Version, old.Version, ts, monoNs, ref actions);
    }

    /// <summary>The breakers were turned off: every scope back to Normal at once (nothing would move them again).</summary>
    private void AllToNormal<TActions>(long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        for (int i = 0; i < _activeCount; i++)
        {
            int id = _activeIds[i];
            ref var s = ref _inst[id];
            int from = s.M.Level;
            if (from == 0) continue;
            Move(ref s.M, 0, ts);
            Volatile.Write(ref _instLevel[id], 0);
            for (int l = 1; l <= from; l++)
            {
                _sectorAtLeast[s.Sector * 4 + l]--;
                _marketAtLeast[l]--;
            }
            Record(BreakerScope.Instrument, id, from, 0, BreakerDetector.Reconfigured, 0, 0, ts, monoNs, ref actions);
        }
        for (int sector = 0; sector < _sector.Length; sector++)
        {
            int from = _sector[sector].Level;
            if (from == 0) continue;
            Move(ref _sector[sector], 0, ts);
            Volatile.Write(ref _sectorLevel[sector], 0);
            Record(BreakerScope.Sector, sector, from, 0, BreakerDetector.Reconfigured, 0, 0, ts, monoNs, ref actions);
        }
        for (int i = 0; i < _activeCount; i++) RefreshEffective(_activeIds[i]);
        if (_market.Level != 0)
        {
            int from = _market.Level;
            Move(ref _market, 0, ts);
            Volatile.Write(ref _marketLevel, 0);
            Record(BreakerScope.Market, 0, from, 0, BreakerDetector.Reconfigured, 0, 0, ts, monoNs, ref actions);
        }
    }

    /// <summary>Detector state as on an instrument's first event (breakers turned on again at run time).</summary>
    private static void ResetDetectors(ref InstrumentSlot s)
    {
        var fresh = new InstrumentSlot { M = s.M, Sector = s.Sector, Active = true, EvalDueNs = long.MinValue };
        s = fresh;
    }
}
