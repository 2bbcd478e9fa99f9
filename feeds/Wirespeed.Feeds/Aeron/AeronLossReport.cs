using System;

namespace Wirespeed.Feeds.Aeron;

/// <summary>One publisher's losses as a <c>reliable=false</c> subscription saw them (as Aeron's loss report: an entry per
/// session and stream, with observations, bytes lost and the first and last time).</summary>
public readonly record struct AeronLossEntry(int SessionId, int StreamId, long Observations, long BytesLost, long FirstNs, long LastNs);

/// <summary>
/// The gaps a <c>reliable=false</c> subscription skipped (AERON.md §B.12 "Unreliable mode"), one entry per (session, stream),
/// carved at start-up; when every entry is taken, further sessions are counted in <see cref="Overflow"/>. Written by the
/// polling thread; read by tests and the monitor after the fact. No allocation after construction.
/// </summary>
public sealed class AeronLossReport
{
    private readonly AeronLossEntry[] _entries;
    private int _count;

    public AeronLossReport(int capacity) => _entries = new AeronLossEntry[Math.Max(1, capacity)];

    /// <summary>Gaps skipped, all sessions.</summary>
    public long Observations { get; private set; }
    /// <summary>Bytes of term skipped, all sessions.</summary>
    public long BytesLost { get; private set; }
    /// <summary>Gaps of sessions that found no free entry (still in the totals above).</summary>
    public long Overflow { get; private set; }
    public int Count => _count;
    public AeronLossEntry this[int index] => (uint)index < (uint)_count ? _entries[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>One skipped gap of <paramref name="bytes"/>.</summary>
    public void Record(int sessionId, int streamId, int bytes, long nowNs)
    {
        Observations++;
        BytesLost += bytes;
        for (int i = 0; i < _count; i++)
        {
            ref AeronLossEntry e = ref _entries[i];
            if (e.SessionId != sessionId || e.StreamId != streamId) continue;
            e = e with { Observations = e.Observations + 1, BytesLost = e.BytesLost + bytes, LastNs = nowNs };
            return;
        }
        if (_count == _entries.Length) { Overflow++; return; }
        _entries[_count++] = new AeronLossEntry(sessionId, streamId, 1, bytes, nowNs, nowNs);
    }
}
