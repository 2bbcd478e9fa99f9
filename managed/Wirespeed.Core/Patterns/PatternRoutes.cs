using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Rings;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// Which pattern workers read each (line, instrument) key: a bit mask per key (bit w = worker w), built at start-up from
/// the workers' subscription filters. The publish stage routes every event it writes into the broadcast ring by it, so
/// each worker's cursor hands it only the events its own patterns read (it steps over the others' slots reading their
/// 8-byte route), and an event that no worker reads is not published at all.
/// </summary>
public sealed class PatternRoutes
{
    /// <summary>At most this many workers can be routed to (one bit each).</summary>
    public const int MaxWorkers = 64;

    private readonly KeySpace _keys;
    private readonly ulong[] _masks;
    private readonly ulong _everyone;   // non-zero: every event goes to every consumer (no plan: tests, tools)

    private PatternRoutes(KeySpace keys, ulong[] masks, ulong everyone)
    {
        _keys = keys;
        _masks = masks;
        _everyone = everyone;
    }

    /// <summary>Routes every event to every consumer: the broadcast ring without a plan.</summary>
    public static PatternRoutes Everyone { get; } = new(default, [], SpmcBroadcast<Events.MarketEvent>.AllConsumers);

    /// <summary>Start-up: the routes of workers whose filters (bit key set = subscribed) are <paramref name="filters"/>, worker w at index w.</summary>
    public static PatternRoutes FromFilters(KeySpace keys, IReadOnlyList<ulong[]> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count < 1 || filters.Count > MaxWorkers)
            throw new ArgumentOutOfRangeException(nameof(filters), $"{filters.Count} workers: routing supports 1..{MaxWorkers}");
        var masks = new ulong[keys.Size];
        for (int w = 0; w < filters.Count; w++)
        {
            ulong[] f = filters[w];
            for (int key = 0; key < masks.Length; key++)
                if ((key >> 6) < f.Length && (f[key >> 6] & (1UL << (key & 63))) != 0) masks[key] |= 1UL << w;
        }
        return new PatternRoutes(keys, masks, 0);
    }

    /// <summary>The workers that read events of (<paramref name="line"/>, <paramref name="instrument"/>); 0 when none does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong MaskOf(byte line, int instrument)
    {
        if (_everyone != 0) return _everyone;
        int key = _keys.KeyOf(line, instrument);
        return key < 0 ? 0 : _masks[key];
    }

    /// <summary>Keys at least one worker reads (for the start-up note).</summary>
    public int SubscribedKeys
    {
        get
        {
            int n = 0;
            foreach (ulong m in _masks) if (m != 0) n++;
            return n;
        }
    }
}
