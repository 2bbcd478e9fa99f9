using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// Dense numbering of (line, instrument): key = line × MaxInstruments + instrument. Used for the per-worker filter
/// bitmap and the per-set dispatch tables, so routing an event is two array reads.
/// </summary>
public readonly struct KeySpace
{
    public KeySpace(int lines, int maxInstruments)
    {
        if (lines < 1 || lines > 256) throw new ArgumentOutOfRangeException(nameof(lines), $"lines={lines} must be 1..256");
        if (maxInstruments < 1) throw new ArgumentOutOfRangeException(nameof(maxInstruments), $"maxInstruments={maxInstruments} must be ≥ 1");
        Lines = lines;
        MaxInstruments = maxInstruments;
    }

    public int Lines { get; }
    public int MaxInstruments { get; }
    public int Size => Lines * MaxInstruments;

    /// <summary>Key of an event; -1 when its line or instrument is outside the space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int KeyOf(byte line, int instrument)
        => line < Lines && (uint)instrument < (uint)MaxInstruments ? line * MaxInstruments + instrument : -1;

    public int KeyOf(InstrumentKey k) => KeyOf(k.Line, k.Instrument);
}

/// <summary>
/// The instances of one pattern type on one worker, with a dispatch table from key to the (instance, leg) pairs that
/// subscribe to it. Generic over the pattern struct, so the call into the pattern is direct and inlinable.
/// Built at start-up (<see cref="Add"/>, then <see cref="Seal"/>); used by one worker thread only.
/// </summary>
public sealed class PatternSet<TPattern> where TPattern : struct, IPattern
{
    private readonly KeySpace _keys;
    private readonly List<(int Id, TPattern Pattern)> _pending = new();
    private TPattern[] _items = [];
    private int[] _ids = [];
    private int[] _start = [];      // per key: first subscription; length Size + 1
    private int[] _subItem = [];
    private int[] _subLeg = [];

    public PatternSet(KeySpace keys) => _keys = keys;

    public int Count => _items.Length + _pending.Count;

    /// <summary>Start-up: adds an instance with its pattern id.</summary>
    public void Add(int patternId, TPattern pattern)
    {
        for (int leg = 0; leg < pattern.LegCount; leg++)
            if (_keys.KeyOf(pattern.Leg(leg)) < 0)
                throw new ArgumentException($"pattern {patternId}: leg {leg} ({pattern.Leg(leg)}) is outside the key space (lines {_keys.Lines}, instruments {_keys.MaxInstruments})");
        _pending.Add((patternId, pattern));
    }

    /// <summary>Start-up: builds the dispatch table. Legs of one instance on the same key are all dispatched.</summary>
    public void Seal()
    {
        _items = new TPattern[_pending.Count];
        _ids = new int[_pending.Count];
        var counts = new int[_keys.Size + 1];
        int subs = 0;
        for (int i = 0; i < _pending.Count; i++)
        {
            _items[i] = _pending[i].Pattern;
            _ids[i] = _pending[i].Id;
            for (int leg = 0; leg < _items[i].LegCount; leg++)
            {
                counts[_keys.KeyOf(_items[i].Leg(leg)) + 1]++;
                subs++;
            }
        }
        for (int k = 1; k < counts.Length; k++) counts[k] += counts[k - 1];
        _start = counts;
        _subItem = new int[subs];
        _subLeg = new int[subs];
        var fill = new int[_keys.Size];
        for (int i = 0; i < _items.Length; i++)
        {
            for (int leg = 0; leg < _items[i].LegCount; leg++)
            {
                int key = _keys.KeyOf(_items[i].Leg(leg));
                int at = _start[key] + fill[key]++;
                _subItem[at] = i;
                _subLeg[at] = leg;
            }
        }
        _pending.Clear();
    }

    /// <summary>Start-up: sets the bit of every key this set subscribes to.</summary>
    public void MarkSubscriptions(ulong[] bitmap)
    {
        for (int key = 0; key < _keys.Size; key++)
            if (_start.Length > 0 && _start[key + 1] > _start[key]) bitmap[key >> 6] |= 1UL << (key & 63);
    }

    /// <summary>Worker thread: feeds the event to every subscribed (instance, leg) and emits what fires.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent<TSink, TGate>(ref MarketEvent evt, int key, SignalEmitter<TSink, TGate> emitter)
        where TSink : struct, ISignalSink
        where TGate : struct, ISignalGate
    {
        int[] start = _start;
        if ((uint)(key + 1) >= (uint)start.Length) return;
        int end = start[key + 1];
        int begin = start[key];
        if (begin == end) return;
        double multiplier = emitter.ThresholdMultiplier(evt.Instrument);
        TPattern[] items = _items;
        for (int s = begin; s < end; s++)
        {
            int item = _subItem[s];
            Signal signal = default;
            if (items[item].OnEvent(ref evt, _subLeg[s], multiplier, ref signal)) emitter.Emit(_ids[item], ref signal, ref evt);
        }
    }

    /// <summary>The instance of pattern id <paramref name="patternId"/> (tests, inspection). Cold.</summary>
    public ref TPattern Find(int patternId)
    {
        for (int i = 0; i < _ids.Length; i++) if (_ids[i] == patternId) return ref _items[i];
        throw new KeyNotFoundException($"pattern {patternId} is not in this set");
    }
}

/// <summary>What a worker runs over its events: implemented by structs so the agent's call is direct.</summary>
public interface IPatternGroup
{
    /// <summary>Start-up: sets the filter bit of every key the group subscribes to.</summary>
    void MarkSubscriptions(ulong[] bitmap);

    /// <summary>Worker thread: one event whose key passed the filter.</summary>
    void OnEvent<TSink, TGate>(ref MarketEvent evt, int key, SignalEmitter<TSink, TGate> emitter)
        where TSink : struct, ISignalSink
        where TGate : struct, ISignalGate;
}

/// <summary>A group of one <see cref="PatternSet{TPattern}"/>: how a pattern written as code runs on a worker.</summary>
public readonly struct SetGroup<TPattern> : IPatternGroup where TPattern : struct, IPattern
{
    private readonly PatternSet<TPattern> _set;

    public SetGroup(PatternSet<TPattern> set) => _set = set;

    public PatternSet<TPattern> Set => _set;

    public void MarkSubscriptions(ulong[] bitmap) => _set.MarkSubscriptions(bitmap);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent<TSink, TGate>(ref MarketEvent evt, int key, SignalEmitter<TSink, TGate> emitter)
        where TSink : struct, ISignalSink
        where TGate : struct, ISignalGate
        => _set.OnEvent(ref evt, key, emitter);
}

/// <summary>Two groups on one worker (e.g. the built-ins and a custom pattern set), each called directly.</summary>
public readonly struct GroupPair<TFirst, TSecond> : IPatternGroup
    where TFirst : struct, IPatternGroup
    where TSecond : struct, IPatternGroup
{
    private readonly TFirst _first;
    private readonly TSecond _second;

    public GroupPair(TFirst first, TSecond second)
    {
        _first = first;
        _second = second;
    }

    public void MarkSubscriptions(ulong[] bitmap)
    {
        _first.MarkSubscriptions(bitmap);
        _second.MarkSubscriptions(bitmap);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent<TSink, TGate>(ref MarketEvent evt, int key, SignalEmitter<TSink, TGate> emitter)
        where TSink : struct, ISignalSink
        where TGate : struct, ISignalGate
    {
        _first.OnEvent(ref evt, key, emitter);
        _second.OnEvent(ref evt, key, emitter);
    }
}

/// <summary>The built-in kinds on one worker: one set per kind.</summary>
public sealed class BuiltInSets
{
    public BuiltInSets(KeySpace keys)
    {
        Pairs = new PatternSet<PairSpreadPattern>(keys);
        LeadLags = new PatternSet<LeadLagPattern>(keys);
        Arbitrages = new PatternSet<ArbitragePattern>(keys);
        Baskets = new PatternSet<BasketPattern>(keys);
        Momentums = new PatternSet<MomentumPattern>(keys);
    }

    public PatternSet<PairSpreadPattern> Pairs { get; }
    public PatternSet<LeadLagPattern> LeadLags { get; }
    public PatternSet<ArbitragePattern> Arbitrages { get; }
    public PatternSet<BasketPattern> Baskets { get; }
    public PatternSet<MomentumPattern> Momentums { get; }

    public void Seal()
    {
        Pairs.Seal();
        LeadLags.Seal();
        Arbitrages.Seal();
        Baskets.Seal();
        Momentums.Seal();
    }
}

/// <summary>The group of the built-in kinds.</summary>
public readonly struct BuiltInGroup : IPatternGroup
{
    private readonly BuiltInSets _sets;

    public BuiltInGroup(BuiltInSets sets) => _sets = sets;

    public BuiltInSets Sets => _sets;

    public void MarkSubscriptions(ulong[] bitmap)
    {
        _sets.Pairs.MarkSubscriptions(bitmap);
        _sets.LeadLags.MarkSubscriptions(bitmap);
        _sets.Arbitrages.MarkSubscriptions(bitmap);
        _sets.Baskets.MarkSubscriptions(bitmap);
        _sets.Momentums.MarkSubscriptions(bitmap);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent<TSink, TGate>(ref MarketEvent evt, int key, SignalEmitter<TSink, TGate> emitter)
        where TSink : struct, ISignalSink
        where TGate : struct, ISignalGate
    {
        BuiltInSets s = _sets;
        if (evt.Kind == EventKind.TopOfBook)
        {
            s.Pairs.OnEvent(ref evt, key, emitter);
            s.LeadLags.OnEvent(ref evt, key, emitter);
            s.Arbitrages.OnEvent(ref evt, key, emitter);
            s.Baskets.OnEvent(ref evt, key, emitter);
        }
        else s.Momentums.OnEvent(ref evt, key, emitter);
    }
}
