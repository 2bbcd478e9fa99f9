using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Mold.Rerequest;

namespace Wirespeed.Feeds.Mold.Arbitration;

/// <summary>
/// One feed line received from two copies (A and B) and, optionally, a re-request server, as one packet source: the
/// raw datagrams of both sides go through the <see cref="MoldArbiter{THandler, TRequester}"/> before decode, and what
/// comes out is MoldUDP64 packets again, each message once and in sequence order, so the line's decoder and books are
/// exactly those of a one-sided line that lost nothing (<see cref="ArbitratedPackets{TPackets}"/> is its struct face).
/// </summary>
/// <remarks>
/// Why re-frame rather than decode from the arbiter: the decoder, the recorder tap and the batch source all take
/// datagrams; giving them datagrams keeps every one of them unchanged. The winning messages are packed into packets
/// of at most MaxPacketBytes (a new packet at each jump of sequence or session), held in a buffer reserved here, and
/// handed out no more than the poll's limit at a time (the batch source sizes its polls by it); the sides are polled
/// again only once that buffer is empty, which bounds it: what one poll's raw packets and responses carry plus what
/// they release from the reorder window.
/// <para>
/// Packets of another session than the configured one (another sender on the group) never reach the arbiter (which
/// would otherwise follow whichever session came first): they pass through unchanged, so the decoder counts and warns
/// about them as on a one-sided line. Heartbeats and end of session stay in the arbiter (they reveal lost tails); the
/// decoder sees only data.
/// </para>
/// Threads: everything here runs on the receiving worker, except the re-request client's own thread behind
/// <see cref="Rerequester"/>. No allocation after construction.
/// </remarks>
public sealed class ArbitratedLine
{
    /// <summary>Raw packets taken from each side per poll at most.</summary>
    public const int RawBurst = 32;
    /// <summary>Responses of the re-request server merged per poll at most.</summary>
    public const int ResponseBurst = 16;

    private readonly MoldArbiter<ReframeHandler, LineGapRequester> _arbiter;
    private readonly MoldRerequester? _rerequester;
    private readonly byte[]? _expectedSession;
    private readonly Reframer _out;
    private long _seenGaveUp;

    /// <param name="options">The arbiter's options (reorder window, packet size, gap wait).</param>
    /// <param name="hasB">True when a side B is polled.</param>
    /// <param name="rerequester">The line's re-request client (started and disposed by its owner), or null.</param>
    /// <param name="expectedSession">The line's MoldUDP64 session (10 characters), or empty to follow the first one seen.</param>
    /// <param name="lineId">The line id stamped on every packet handed out.</param>
    public ArbitratedLine(MoldArbiterOptions options, bool hasB, MoldRerequester? rerequester, string expectedSession = "", byte lineId = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(expectedSession);
        options = options.Validated();
        HasB = hasB;
        _rerequester = rerequester;
        if (expectedSession.Length != 0)
        {
            if (expectedSession.Length != MoldPacketReader.SessionLength) throw new ArgumentException("A MoldUDP64 session is 10 characters.", nameof(expectedSession));
            _expectedSession = System.Text.Encoding.ASCII.GetBytes(expectedSession);
        }
        // One poll's output: its raw packets and responses plus what they release from the window (ReorderSlots packets
        // at most), in messages no more bytes than those packets; each may split in two where the previous one left a
        // packet half full, so twice as many headers.
        int packets = options.ReorderSlots + 2 * RawBurst + ResponseBurst + 2;
        _out = new Reframer(2 * packets, packets * options.MaxPacketBytes + 2 * packets * MoldPacketReader.HeaderSize, options.MaxPacketBytes) { LineId = lineId };
        _arbiter = new MoldArbiter<ReframeHandler, LineGapRequester>(new ReframeHandler(_out), new LineGapRequester(rerequester, _out), options);
    }

    /// <summary>True when side B is polled.</summary>
    public bool HasB { get; }
    /// <summary>The arbiter's counters: per side packets, wins, misses, late copies, trail; requests, abandoned.</summary>
    public MoldArbiterCounters Counters => _arbiter.Counters;
    /// <summary>The re-request client, or null.</summary>
    public MoldRerequester? Rerequester => _rerequester;
    /// <summary>Messages known to exist and not delivered yet (held in the window or missing), receiving thread's figure.</summary>
    public ulong Outstanding => _arbiter.Outstanding;
    /// <summary>The next sequence to deliver.</summary>
    public ulong NextExpected => _arbiter.NextExpected;
    /// <summary>Messages that could not be re-framed because the output buffer was full (a bug if ever non-zero).</summary>
    public long ReframeOverflow => Volatile.Read(ref _out.Overflow);
    /// <summary>Times every missing range was offered again because the client gave a request up.</summary>
    public long RequestedAgain;

    /// <summary>
    /// Receiving thread: hands out re-framed packets left from the last poll, else polls both sides and the server's
    /// responses through the arbiter, runs its gap timer while something is outstanding, and hands out what came.
    /// Returns the packets handed out plus the raw ones consumed without output (late copies), at most <paramref name="limit"/>:
    /// zero only when every source was dry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<TPackets, THandler>(ref TPackets a, ref TPackets b, ref THandler handler, int limit)
        where TPackets : struct, IPacketSource
        where THandler : struct, IPacketHandler
    {
        int emitted = _out.Drain(ref handler, limit);
        if (_out.Count != 0 || emitted >= limit) return emitted;
        int raw = Math.Min(limit, RawBurst);
        var side = new SideHandler(this, MoldSource.A);
        int consumed = a.Poll(ref side, raw);
        if (HasB)
        {
            side = new SideHandler(this, MoldSource.B);
            consumed += b.Poll(ref side, raw);
        }
        if (_rerequester is not null)
        {
            _out.RxNs = 0; // stamped when a response delivers
            consumed += _rerequester.PollResponses(_arbiter, ResponseBurst);
        }
        if (_arbiter.Outstanding != 0) TickSlow();
        emitted += _out.Drain(ref handler, limit - emitted);
        return Math.Min(limit, emitted + consumed);
    }

    // The gap timer, and a fresh request of every missing range after the client gave one up (server silent).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TickSlow()
    {
        if (_rerequester is not null)
        {
            long gaveUp = Volatile.Read(ref _rerequester.Counters.GaveUp); // written by the client's thread; advisory
            if (gaveUp != _seenGaveUp)
            {
                _seenGaveUp = gaveUp;
                _arbiter.RequestAgain();
                RequestedAgain++;
            }
        }
        _out.RxNs = 0;
        _arbiter.Poll(MonoClock.NowNs());
    }

    private void OnRaw(ReadOnlySpan<byte> payload, MoldSource source, in PacketInfo info)
    {
        _out.Kind = info.Source;
        if (_expectedSession is not null && payload.Length >= MoldPacketReader.SessionLength
            && !payload.Slice(0, MoldPacketReader.SessionLength).SequenceEqual(_expectedSession))
        {
            MoldSideCounters side = _arbiter.Counters.Sides[(int)source];
            side.Packets++;
            side.ForeignSession++;
            _out.PassThrough(payload, info.ReceiveTimestampNs); // the decoder counts and warns, as on a one-sided line
            return;
        }
        _out.RxNs = info.ReceiveTimestampNs;
        _arbiter.OnPacket(payload, source, info.ReceiveTimestampNs);
    }

    private struct SideHandler : IPacketHandler
    {
        private readonly ArbitratedLine _line;
        private readonly MoldSource _source;
        public SideHandler(ArbitratedLine line, MoldSource source) { _line = line; _source = source; }
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => _line.OnRaw(payload, _source, in info);
    }

    /// <summary>The arbiter's handler: each winning message into the re-framer, with the session it belongs to.</summary>
    private readonly struct ReframeHandler : IMoldMessageHandler
    {
        private readonly Reframer _out;
        public ReframeHandler(Reframer output) => _out = output;
        public void OnMessage(ReadOnlySpan<byte> message, ulong sequence, MoldSource source, bool late) => _out.Append(message, sequence);
    }

    /// <summary>The arbiter's requester: the line's re-request client, or nothing (gaps stay open and counted).</summary>
    private readonly struct LineGapRequester : IGapRequester
    {
        private readonly MoldRerequester? _client;
        private readonly Reframer _out;
        public LineGapRequester(MoldRerequester? client, Reframer output) { _client = client; _out = output; }
        public bool TryRequest(ReadOnlySpan<byte> session, ulong firstSequence, ulong count, long nowNs)
            => _client is not null && _client.Gaps.TryRequest(session, firstSequence, count, nowNs);
        public void OnProgress(ulong nextExpected) => _client?.Gaps.OnProgress(nextExpected);
        public void OnSessionChanged(ReadOnlySpan<byte> session)
        {
            _client?.Gaps.OnSessionChanged(session);
            _out.OnSession(session); // the packets handed out from now on carry the new session
        }
    }

    /// <summary>
    /// The re-framed output: MoldUDP64 packets built in a buffer reserved at construction, handed out in order. Append
    /// only while it is being filled (the line polls its sides only when it is empty), drain from the front.
    /// </summary>
    private sealed class Reframer
    {
        private readonly byte[] _bytes;
        private readonly int[] _offset;
        private readonly int[] _length;
        private readonly long[] _rx;
        private readonly int _maxPacket;
        private int _head, _count, _used;
        private int _open = -1;            // entry being filled, or -1
        private ulong _openNext;           // sequence its next message must have
        private ushort _openMessages;
        public long RxNs;                  // receive time of the packet being arbitrated; 0: stamp now
        public byte LineId;
        public PacketSourceKind Kind;
        public long Overflow;
        public byte[] Session = new byte[MoldPacketReader.SessionLength];

        public Reframer(int packets, int bytes, int maxPacket)
        {
            _maxPacket = maxPacket;
            _bytes = new byte[bytes];
            _offset = new int[packets];
            _length = new int[packets];
            _rx = new long[packets];
        }

        public int Count => _count;

        public void OnSession(ReadOnlySpan<byte> session)
        {
            _open = -1;
            session.CopyTo(Session);
        }

        public void Append(ReadOnlySpan<byte> message, ulong sequence)
        {
            if (_open < 0 || sequence != _openNext || _length[_open] + 2 + message.Length > _maxPacket || _openMessages == 0xFFFE
                || _used + 2 + message.Length > _bytes.Length)
            {
                if (!Open(sequence, 2 + message.Length)) return;
            }
            int at = _offset[_open] + _length[_open];
            BinaryPrimitives.WriteUInt16BigEndian(_bytes.AsSpan(at), (ushort)message.Length);
            message.CopyTo(_bytes.AsSpan(at + 2));
            _length[_open] += 2 + message.Length;
            _used += 2 + message.Length;
            _openMessages++;
            _openNext = sequence + 1;
            BinaryPrimitives.WriteUInt16BigEndian(_bytes.AsSpan(_offset[_open] + MoldPacketReader.CountOffset), _openMessages);
        }

        public void PassThrough(ReadOnlySpan<byte> packet, long rxNs)
        {
            _open = -1;
            if (packet.Length > _maxPacket || !TryEntry(packet.Length, rxNs, out int e)) { Overflow++; return; }
            packet.CopyTo(_bytes.AsSpan(_offset[e]));
            _length[e] = packet.Length;
            _used += packet.Length;
        }

        // A new packet for messages from `sequence` on: header written, count 0.
        private bool Open(ulong sequence, int firstBlock)
        {
            _open = -1;
            if (MoldPacketReader.HeaderSize + firstBlock > _maxPacket || !TryEntry(MoldPacketReader.HeaderSize + firstBlock, RxNs == 0 ? MonoClock.NowNs() : RxNs, out int e))
            {
                Overflow++;
                return false;
            }
            Span<byte> header = _bytes.AsSpan(_offset[e], MoldPacketReader.HeaderSize);
            Session.CopyTo(header);
            BinaryPrimitives.WriteUInt64BigEndian(header.Slice(MoldPacketReader.SequenceOffset), sequence);
            BinaryPrimitives.WriteUInt16BigEndian(header.Slice(MoldPacketReader.CountOffset), 0);
            _length[e] = MoldPacketReader.HeaderSize;
            _used += MoldPacketReader.HeaderSize;
            _open = e;
            _openNext = sequence;
            _openMessages = 0;
            return true;
        }

        // A free entry with `room` bytes after everything queued (entries are laid end to end from the buffer's start;
        // only the last one grows).
        private bool TryEntry(int room, long rxNs, out int entry)
        {
            entry = -1;
            if (_count == _offset.Length || _used + room > _bytes.Length) return false;
            entry = _head + _count; // the buffer is emptied before it is filled again: entries never wrap
            _offset[entry] = _used;
            _rx[entry] = rxNs;
            _count++;
            return true;
        }

        public int Drain<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        {
            if (_count == 0) return 0;
            _open = -1; // a packet handed out is closed
            int n = 0;
            while (_count != 0 && n < limit)
            {
                handler.OnPacket(_bytes.AsSpan(_offset[_head], _length[_head]), new PacketInfo(_rx[_head], LineId, Kind));
                _head++;
                _count--;
                n++;
            }
            if (_count == 0) _head = _used = 0;
            return n;
        }
    }
}
