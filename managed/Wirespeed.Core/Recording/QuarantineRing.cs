using System;
using System.IO;

namespace Wirespeed.Core.Recording;

/// <summary>What a quarantine entry's bytes are: a whole transport payload, or one message cut out of one.</summary>
public enum QuarantinePayload : byte
{
    /// <summary>A whole UDP payload (e.g. a MoldUDP64 packet): the pcap dump writes it as it is.</summary>
    Packet = 0,
    /// <summary>One message from inside a packet (e.g. a bare ITCH message): the pcap dump wraps it through
    /// <see cref="QuarantineRing.MessageFramer"/> so that replay sees the packet it came in.</summary>
    Message = 1,
}

/// <summary>
/// Wraps a message-level quarantine entry into a transport payload (cold path, at dump time): writes it into
/// <paramref name="packet"/> and returns the bytes written, or -1 when it does not fit.
/// </summary>
public delegate int QuarantineMessageFramer(in QuarantineRecord record, ReadOnlySpan<byte> message, ReadOnlySpan<byte> session, Span<byte> packet);

/// <summary>What the quarantine kept about one rejected packet or message (the bytes are read separately).</summary>
public readonly struct QuarantineRecord
{
    /// <summary>Feed sequence the rejected data claimed or was expected at (protocol-defined; 0 when unknown).</summary>
    public readonly ulong Sequence;
    /// <summary>Receive timestamp of the packet, ns (monotonic or recorded, as the caller's PacketInfo).</summary>
    public readonly long ReceiveTimestampNs;
    /// <summary>Length of the rejected bytes before truncation.</summary>
    public readonly int OriginalLength;
    /// <summary>Bytes kept (at most the ring's <see cref="QuarantineRing.MaxBytes"/>).</summary>
    public readonly int CapturedLength;
    /// <summary>Which decoder rejected it (protocol-defined code; e.g. the Mold/ITCH feed uses 'M' and 'I').</summary>
    public readonly byte Source;
    /// <summary>Why (the decoder's status code).</summary>
    public readonly byte Status;
    /// <summary>Feed line.</summary>
    public readonly byte LineId;
    /// <summary>Whether the bytes are a whole packet or one message of a packet.</summary>
    public readonly QuarantinePayload Payload;

    public QuarantineRecord(ulong sequence, long receiveTimestampNs, int originalLength, int capturedLength, byte source, byte status, byte lineId,
        QuarantinePayload payload = QuarantinePayload.Packet)
    {
        Sequence = sequence; ReceiveTimestampNs = receiveTimestampNs; OriginalLength = originalLength;
        CapturedLength = capturedLength; Source = source; Status = status; LineId = lineId; Payload = payload;
    }
}

/// <summary>
/// Bounded ring of rejected raw bytes, pre-allocated at construction. <see cref="Capture"/> copies at most
/// <see cref="MaxBytes"/> bytes, never allocates and never blocks: when the ring is full the oldest entry is
/// overwritten and counted in <see cref="Overwritten"/>. Each capture is also counted in <see cref="Errors"/> under the
/// key <c>source | status &lt;&lt; 8 | firstByte &lt;&lt; 16</c> so that repeated causes are stored once with a count.
/// </summary>
/// <remarks>
/// Single writer (the decode thread). The dumps (<see cref="WritePcap"/>, <see cref="WriteListing"/>) are cold paths
/// meant for a quiesced writer; run concurrently with captures they may show a torn entry, never a crash.
/// The pcap dump wraps each captured payload in Ethernet/IPv4/UDP so that the pcap replayer feeds it straight back
/// into the decoder that rejected it. Message-level entries (<see cref="QuarantinePayload.Message"/>) are first put
/// back into a packet by <see cref="MessageFramer"/>, which the decoder that captures them installs (without one they
/// are written bare, and replay will not see them as what they were).
/// </remarks>
public sealed class QuarantineRing
{
    /// <summary>Session bytes kept per entry (MoldUDP64 sessions are 10).</summary>
    public const int MaxSessionBytes = 16;

    private readonly byte[] _bytes;
    private readonly byte[] _sessions;
    private readonly byte[] _sessionLengths;
    private readonly QuarantineRecord[] _records;
    private readonly int _capacity;
    private long _head; // total captures; slot = _head % capacity

    /// <param name="capacity">Entries kept. Default: 1024.</param>
    /// <param name="maxBytes">Bytes kept per entry; longer data is truncated. Default: 1500 (one Ethernet MTU).</param>
    /// <param name="distinctErrors">Distinct error keys kept. Default: 64.</param>
    public QuarantineRing(int capacity = 1024, int maxBytes = 1500, int distinctErrors = 64)
    {
        if (capacity <= 0) ThrowHelper.Argument(nameof(capacity), $"{nameof(capacity)}={capacity} must be positive, e.g. 1024.");
        if (maxBytes <= 0 || maxBytes > 65535) ThrowHelper.Argument(nameof(maxBytes), $"{nameof(maxBytes)}={maxBytes} must be 1..65535, e.g. 1500.");
        _capacity = capacity;
        MaxBytes = maxBytes;
        _bytes = new byte[checked(capacity * maxBytes)];
        _sessions = new byte[capacity * MaxSessionBytes];
        _sessionLengths = new byte[capacity];
        _records = new QuarantineRecord[capacity];
        Errors = new DistinctErrorLog(distinctErrors);
    }

    public int Capacity => _capacity;
    public int MaxBytes { get; }
    /// <summary>Entries currently held (oldest first through <see cref="Get"/>).</summary>
    public int Count => (int)Math.Min(_head, _capacity);
    /// <summary>Every capture since construction.</summary>
    public long Captured => _head;
    /// <summary>Entries lost because the ring was full.</summary>
    public long Overwritten => Math.Max(0, _head - _capacity);
    /// <summary>Captures whose bytes were cut to <see cref="MaxBytes"/>.</summary>
    public long Truncated { get; private set; }
    /// <summary>Distinct causes with counts.</summary>
    public DistinctErrorLog Errors { get; }
    /// <summary>Wraps message-level entries into packets for <see cref="WritePcap"/>; set once by the decoder that
    /// captures messages (cold path). Null: message entries are dumped bare.</summary>
    public QuarantineMessageFramer? MessageFramer { get; set; }

    /// <summary>Copies a rejected packet or message into the ring. Never allocates, never blocks, never throws.</summary>
    public void Capture(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> session, ulong sequence, byte source, byte status, long receiveTimestampNs, byte lineId,
        QuarantinePayload payload = QuarantinePayload.Packet)
    {
        int slot = (int)(_head % _capacity);
        int kept = Math.Min(raw.Length, MaxBytes);
        if (kept < raw.Length) Truncated++;
        raw.Slice(0, kept).CopyTo(_bytes.AsSpan(slot * MaxBytes, kept));
        int sessionKept = Math.Min(session.Length, MaxSessionBytes);
        session.Slice(0, sessionKept).CopyTo(_sessions.AsSpan(slot * MaxSessionBytes, sessionKept));
        _sessionLengths[slot] = (byte)sessionKept;
        _records[slot] = new QuarantineRecord(sequence, receiveTimestampNs, raw.Length, kept, source, status, lineId, payload);
        _head++;
        uint key = source | ((uint)status << 8) | ((uint)(raw.IsEmpty ? 0 : raw[0]) << 16);
        Errors.Record(key, receiveTimestampNs);
    }

    /// <summary>The <paramref name="index"/>-th held entry, 0 = oldest. Spans are valid until the next capture overwrites the slot.</summary>
    public QuarantineRecord Get(int index, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> session)
    {
        if ((uint)index >= (uint)Count) ThrowHelper.Argument(nameof(index), $"index {index} is outside 0..{Count - 1}.");
        long oldest = _head - Count;
        int slot = (int)((oldest + index) % _capacity);
        QuarantineRecord r = _records[slot];
        raw = _bytes.AsSpan(slot * MaxBytes, r.CapturedLength);
        session = _sessions.AsSpan(slot * MaxSessionBytes, _sessionLengths[slot]);
        return r;
    }

    /// <summary>Forgets every entry (counters of distinct errors are kept).</summary>
    public void Clear() => _head = 0;

    /// <summary>
    /// Cold path: writes the held entries, oldest first, as a classic pcap (nanosecond variant, Ethernet link type)
    /// with each payload inside an IPv4/UDP datagram to <paramref name="udpPort"/>. Record timestamps are the entries'
    /// receive timestamps. Message entries go through <see cref="MessageFramer"/> when one is set.
    /// </summary>
    public void WritePcap(Stream stream, ushort udpPort = 26477)
    {
        // 127.0.0.1 -> 239.0.0.1: any multicast group will do, replay reads the UDP payload.
        using var writer = new PcapWriter(stream, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, udpPort),
            new System.Net.IPEndPoint(new System.Net.IPAddress(new byte[] { 239, 0, 0, 1 }), udpPort), midnightEpochNs: 0);
        QuarantineMessageFramer? framer = MessageFramer;
        byte[] framed = new byte[MaxBytes + 256]; // room for any transport header around a kept message
        for (int i = 0; i < Count; i++)
        {
            QuarantineRecord r = Get(i, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> session);
            if (r.Payload == QuarantinePayload.Message && framer is not null)
            {
                int length = framer(in r, raw, session, framed);
                if (length >= 0) { writer.Write(framed.AsSpan(0, length), r.ReceiveTimestampNs); continue; }
            }
            writer.Write(raw, r.ReceiveTimestampNs);
        }
    }

    /// <summary>Cold path: a human listing (one line per entry plus a hex dump, then the distinct errors).</summary>
    public void WriteListing(TextWriter writer, Func<byte, byte, string>? describe = null, int hexBytes = 64)
    {
        writer.WriteLine($"quarantine: {Count} held of {Capacity}, captured {Captured}, overwritten {Overwritten}, truncated {Truncated}");
        for (int i = 0; i < Count; i++)
        {
            QuarantineRecord r = Get(i, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> session);
            string why = describe is null ? $"source {r.Source} status {r.Status}" : describe(r.Source, r.Status);
            string sessionText = System.Text.Encoding.ASCII.GetString(session).Replace('\0', '.');
            writer.WriteLine($"#{i} line {r.LineId} session '{sessionText}' seq {r.Sequence} rx {r.ReceiveTimestampNs} ns: {why}, {r.Payload.ToString().ToLowerInvariant()} of {r.OriginalLength} bytes (kept {r.CapturedLength})");
            writer.WriteLine("    " + Convert.ToHexString(raw.Slice(0, Math.Min(raw.Length, hexBytes))));
        }
        Errors.WriteListing(writer, describe is null ? null : key => describe((byte)key, (byte)(key >> 8)) + $" type 0x{(byte)(key >> 16):X2}");
    }
}
