using System;
using System.Buffers.Binary;

namespace Wirespeed.Feeds.SoupBin;

/*
 * Framing of a SoupBinTCP byte stream (§1.1: "logical packets do not necessarily map directly to physical packets ...
 * they may be broken apart or aggregated by the TCP/IP stack").
 *
 * A packet wholly inside the segment is handed to the handler in place, without a copy. Only a packet that straddles
 * segments is assembled in the framer's own buffer (2 + MaxPayload + 1 bytes, reserved at construction), so a stream
 * split at any byte, even one byte per segment, frames exactly as the whole stream does, and nothing allocates.
 *
 * A TCP stream has no resynchronisation point: once a length prefix is impossible (zero, which leaves no type byte, or
 * above the configured maximum) every later byte is of unknown meaning. The framer then counts the cause, stops, and
 * reports Broken until Reset: the session closes the connection and logs in again from its next sequence number, which
 * loses nothing (§1.2: the client re-requests from the next expected sequence number).
 */

/// <summary>
/// Incremental SoupBinTCP framer: bytes in (any split), whole packets out. One thread (the connection's) calls
/// <see cref="Feed{THandler}"/> and <see cref="Reset"/>; counters may be read from any thread.
/// </summary>
public sealed class SoupBinFramer
{
    private readonly byte[] _partial;   // header + payload of a packet that straddles segments
    private readonly int _maxPayload;
    private int _have;                  // bytes of the current packet in _partial (0 = between packets)
    private int _need;                  // whole packet length including the prefix, once the prefix is known; else 0
    private bool _broken;

    /// <param name="maxPayload">Largest payload accepted, 0..<see cref="SoupBinLayout.MaxPayloadLength"/>; a longer
    /// length prefix is hostile (<see cref="SoupBinFrameStatus.Oversized"/>).</param>
    public SoupBinFramer(int maxPayload = SoupBinLayout.MaxPayloadLength)
    {
        if ((uint)maxPayload > SoupBinLayout.MaxPayloadLength)
            throw new ArgumentOutOfRangeException(nameof(maxPayload), $"maxPayload={maxPayload} must be 0..{SoupBinLayout.MaxPayloadLength} (the 16-bit length counts the type byte too).");
        _maxPayload = maxPayload;
        _partial = new byte[SoupBinLayout.HeaderBytes + maxPayload];
    }

    /// <summary>Largest payload accepted.</summary>
    public int MaxPayload => _maxPayload;
    /// <summary>Whole packets delivered.</summary>
    public long Packets { get; private set; }
    /// <summary>Bytes accepted (delivered, or waiting in a partial packet).</summary>
    public long Bytes { get; private set; }
    /// <summary>Length prefixes of zero seen (each one broke the framing).</summary>
    public long ZeroLength { get; private set; }
    /// <summary>Length prefixes above <see cref="MaxPayload"/> + 1 seen (each one broke the framing).</summary>
    public long Oversized { get; private set; }
    /// <summary>Bytes refused because the framing was lost (the bad prefix itself and everything after it).</summary>
    public long DiscardedBytes { get; private set; }
    /// <summary>Bytes of a packet begun and not yet complete (a disconnect now would cut a packet in half).</summary>
    public int PendingBytes => _have;
    /// <summary>True once the framing was lost; cleared by <see cref="Reset"/>.</summary>
    public bool IsBroken => _broken;

    /// <summary>Forgets any partial packet and a lost framing: call on every new connection.</summary>
    public void Reset()
    {
        _have = 0;
        _need = 0;
        _broken = false;
    }

    /// <summary>
    /// Frames <paramref name="data"/>, handing each complete packet to <paramref name="handler"/> in order. Returns
    /// <see cref="SoupBinFrameStatus.Ok"/>, or the cause that broke the framing (the rest of the bytes are discarded
    /// and counted). Never throws on data, never allocates.
    /// </summary>
    public SoupBinFrameStatus Feed<THandler>(ReadOnlySpan<byte> data, ref THandler handler) where THandler : struct, ISoupBinPacketHandler
    {
        if (_broken)
        {
            DiscardedBytes += data.Length;
            return SoupBinFrameStatus.Broken;
        }
        while (!data.IsEmpty)
        {
            if (_have == 0 && data.Length >= SoupBinLayout.LengthBytes)
            {
                int length = BinaryPrimitives.ReadUInt16BigEndian(data);
                var bad = Check(length);
                if (bad != SoupBinFrameStatus.Ok) return Break(bad, data.Length);
                int whole = SoupBinLayout.LengthBytes + length;
                if (data.Length >= whole)
                {
                    // Fast path: the whole packet is in this segment; hand it over in place.
                    Bytes += whole;
                    Packets++;
                    handler.OnPacket(data[SoupBinLayout.LengthBytes], data.Slice(SoupBinLayout.HeaderBytes, length - 1));
                    data = data.Slice(whole);
                    continue;
                }
            }
            // Slow path: assemble a packet that straddles segments (or a length prefix split in two).
            if (_need == 0)
            {
                int take = Math.Min(SoupBinLayout.LengthBytes - _have, data.Length);
                data.Slice(0, take).CopyTo(_partial.AsSpan(_have));
                _have += take;
                Bytes += take;
                data = data.Slice(take);
                if (_have < SoupBinLayout.LengthBytes) break;
                int length = BinaryPrimitives.ReadUInt16BigEndian(_partial);
                var bad = Check(length);
                if (bad != SoupBinFrameStatus.Ok)
                {
                    Bytes -= SoupBinLayout.LengthBytes;   // the prefix was never a packet's: count it as discarded
                    return Break(bad, data.Length + SoupBinLayout.LengthBytes);
                }
                _need = SoupBinLayout.LengthBytes + length;
            }
            int copy = Math.Min(_need - _have, data.Length);
            data.Slice(0, copy).CopyTo(_partial.AsSpan(_have));
            _have += copy;
            Bytes += copy;
            data = data.Slice(copy);
            if (_have < _need) break;
            Packets++;
            int payload = _need - SoupBinLayout.HeaderBytes;
            _have = 0;
            _need = 0;
            handler.OnPacket(_partial[SoupBinLayout.LengthBytes], _partial.AsSpan(SoupBinLayout.HeaderBytes, payload));
        }
        return SoupBinFrameStatus.Ok;
    }

    private SoupBinFrameStatus Check(int length)
    {
        if (length == 0) return SoupBinFrameStatus.ZeroLength;
        return length - 1 > _maxPayload ? SoupBinFrameStatus.Oversized : SoupBinFrameStatus.Ok;
    }

    private SoupBinFrameStatus Break(SoupBinFrameStatus cause, int discarded)
    {
        if (cause == SoupBinFrameStatus.ZeroLength) ZeroLength++;
        else Oversized++;
        DiscardedBytes += discarded;
        _broken = true;
        _have = 0;
        _need = 0;
        return cause;
    }
}
