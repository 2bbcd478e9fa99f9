using System;
using System.Threading;
using Wirespeed.Feeds.SoupBin;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// What the simulator sent, in order, as the exchange's SoupBinTCP server keeps it: message n (1-based) is the session's
/// sequence number n. The simulator thread appends; server sessions on their I/O threads copy out. A lock guards both
/// (cold path: a replay server, never the feed handler's hot path).
/// </summary>
public sealed class SimMessageStore
{
    private readonly object _gate = new();
    private byte[] _data = new byte[1 << 16];
    private long[] _offsets = new long[1 << 12];   // _offsets[i] = start of message i + 1; _offsets[count] = end
    private long _count;
    private long _bytes;
    private volatile bool _ended;

    /// <summary>Messages held; their sequence numbers are 1..Count.</summary>
    public long Count => Volatile.Read(ref _count);
    /// <summary>True once the session has ended: a server sends End of Session after the last message.</summary>
    public bool Ended => _ended;

    /// <summary>Appends the next message (sequence number <see cref="Count"/> + 1).</summary>
    public void Append(ReadOnlySpan<byte> message)
    {
        lock (_gate)
        {
            if (_bytes + message.Length > _data.Length) Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(_data.Length * 2L, _bytes + message.Length)));
            if (_count + 2 > _offsets.Length) Array.Resize(ref _offsets, _offsets.Length * 2);
            message.CopyTo(_data.AsSpan((int)_bytes));
            _offsets[_count] = _bytes;
            _bytes += message.Length;
            _offsets[_count + 1] = _bytes;
            Volatile.Write(ref _count, _count + 1);   // pairs with Count: a reader seeing n finds message n whole (under the lock too)
        }
    }

    /// <summary>Marks the session ended (no more appends).</summary>
    public void End() => _ended = true;

    /// <summary>The message with sequence number <paramref name="sequence"/>, copied (tests and snapshots).</summary>
    public byte[] Message(long sequence)
    {
        lock (_gate)
        {
            if (sequence < 1 || sequence > _count) throw new ArgumentOutOfRangeException(nameof(sequence), $"sequence {sequence} is not 1..{_count}");
            return _data.AsSpan((int)_offsets[sequence - 1], (int)(_offsets[sequence] - _offsets[sequence - 1])).ToArray();
        }
    }

    /// <summary>
    /// Writes messages <paramref name="from"/>, <paramref name="from"/> + 1, … as SoupBinTCP Sequenced Data packets into
    /// <paramref name="dst"/>, as many as fit and at most <paramref name="maxMessages"/>. Returns the bytes written.
    /// </summary>
    public int WriteSequenced(long from, int maxMessages, Span<byte> dst, out int messages)
    {
        messages = 0;
        int at = 0;
        lock (_gate)
        {
            for (long s = from; s <= _count && messages < maxMessages; s++)
            {
                int start = (int)_offsets[s - 1], length = (int)(_offsets[s] - start);
                if (at + SoupBinLayout.HeaderBytes + length > dst.Length) break;
                at += SoupBinWriter.SequencedData(dst.Slice(at), _data.AsSpan(start, length));
                messages++;
            }
        }
        return at;
    }
}
