using System;
using System.IO;

namespace Wirespeed.Core.Recording;

/// <summary>
/// Stores each distinct error once, with a count and the first and last time it was seen (in the spirit of Agrona's
/// DistinctErrorLog). An error is identified by a 32-bit key that the caller composes (for example source, status and
/// message type). Capacity is fixed at construction; when every slot holds another key, the error is counted in
/// <see cref="Unrecorded"/> instead.
/// </summary>
/// <remarks>Single writer. <see cref="Record"/> never allocates or blocks; readers on other threads may see a torn
/// entry (counts are monitoring figures, not accounting).</remarks>
public sealed class DistinctErrorLog
{
    private readonly uint[] _keys;
    private readonly long[] _counts;
    private readonly long[] _firstNs;
    private readonly long[] _lastNs;
    private int _used;

    /// <param name="capacity">Distinct keys kept. Default: 64.</param>
    public DistinctErrorLog(int capacity = 64)
    {
        if (capacity <= 0) ThrowHelper.Argument(nameof(capacity), $"{nameof(capacity)}={capacity} must be positive, e.g. 64.");
        _keys = new uint[capacity];
        _counts = new long[capacity];
        _firstNs = new long[capacity];
        _lastNs = new long[capacity];
    }

    /// <summary>Distinct keys recorded so far.</summary>
    public int Distinct => _used;
    /// <summary>Errors not recorded because every slot held another key.</summary>
    public long Unrecorded { get; private set; }
    /// <summary>Every error passed to <see cref="Record"/>.</summary>
    public long Total { get; private set; }

    /// <summary>Counts one occurrence of <paramref name="key"/> at <paramref name="timestampNs"/>.</summary>
    public void Record(uint key, long timestampNs)
    {
        Total++;
        // Linear scan: the table is small and this is the error path, never the per-message path.
        for (int i = 0; i < _used; i++)
        {
            if (_keys[i] != key) continue;
            _counts[i]++;
            _lastNs[i] = timestampNs;
            return;
        }
        if (_used == _keys.Length) { Unrecorded++; return; }
        int slot = _used;
        _keys[slot] = key;
        _counts[slot] = 1;
        _firstNs[slot] = timestampNs;
        _lastNs[slot] = timestampNs;
        _used = slot + 1;
    }

    /// <summary>Count for <paramref name="key"/>, 0 if never seen.</summary>
    public long CountOf(uint key)
    {
        for (int i = 0; i < _used; i++) if (_keys[i] == key) return _counts[i];
        return 0;
    }

    /// <summary>The <paramref name="index"/>-th distinct entry in first-seen order.</summary>
    public (uint Key, long Count, long FirstNs, long LastNs) Entry(int index)
    {
        if ((uint)index >= (uint)_used) ThrowHelper.Argument(nameof(index), $"index {index} is outside 0..{_used - 1}.");
        return (_keys[index], _counts[index], _firstNs[index], _lastNs[index]);
    }

    /// <summary>Cold path: one line per distinct error, described by <paramref name="describe"/> (or the key in hex).</summary>
    public void WriteListing(TextWriter writer, Func<uint, string>? describe = null)
    {
        writer.WriteLine($"distinct errors: {_used}, total {Total}, unrecorded {Unrecorded}");
        for (int i = 0; i < _used; i++)
        {
            string what = describe is null ? "0x" + _keys[i].ToString("X8", System.Globalization.CultureInfo.InvariantCulture) : describe(_keys[i]);
            writer.WriteLine($"  {what}: count {_counts[i]}, first {_firstNs[i]} ns, last {_lastNs[i]} ns");
        }
    }
}
