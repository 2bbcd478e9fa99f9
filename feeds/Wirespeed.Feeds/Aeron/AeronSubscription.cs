using System;
using System.Net;
using System.Net.Sockets;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// An Aeron subscription (AERON.md §B.10, §c "Receiver"). Unicast: binds the endpoint and sends every control frame from
/// that socket to the source of the SETUP/DATA. Multicast: binds 0.0.0.0:port, joins the data group G and sends every
/// control frame to the control group (G+1:port). Per publisher session an <see cref="AeronImage"/> (up to MaxImages,
/// carved at start-up): SETUP creates it and is answered by a status message at once; status messages follow when
/// consumption moved window/4, or every 200 ms; the first gap up to the high-water mark is NAKed after 100 µs and again
/// every 10 ms while it persists (multicast, or a SETUP with the GROUP flag: a randomised delay up to 10 ms, first and
/// retry); with reliable=false the gap is filled instead, skipped and recorded in <see cref="LossReport"/>; RTTM requests are answered; an EOS ends the image after 5 EOS status messages, 200 ms
/// apart; an image silent for the liveness timeout is dropped; DATA for an unknown session elicits a SETUP (SM 0x80) at
/// most once a second per session.
/// </summary>
/// <remarks>
/// Not <see cref="Udp.UdpSocketSource"/>: the subscriber must reply from its bound socket to each datagram's source,
/// which that source neither exposes nor allows. One thread calls <see cref="Poll"/>; it never allocates after
/// construction (ReceiveFrom/SendTo with pre-allocated SocketAddress objects).
/// </remarks>
public sealed class AeronSubscription : IDisposable
{
    private const long StatusIntervalNs = 200_000_000;       // §B.13
    private const long ElicitIntervalNs = 1_000_000_000;     // §B.13 pending-setup
    private const int EndOfStreamStatusCount = 5;            // §B.13 AERON_IMAGE_SM_EOS_MULTIPLE
    private const int ElicitSlots = 16;

    private readonly Socket _socket;
    private readonly byte[] _receive = GC.AllocateArray<byte>(65536, pinned: true);
    private readonly byte[] _control = GC.AllocateArray<byte>(64, pinned: true);
    private readonly SocketAddress _source;
    private readonly Slot[] _slots;
    private readonly int[] _elicitSession = new int[ElicitSlots];
    private readonly int[] _elicitStream = new int[ElicitSlots];
    private readonly long[] _elicitNs = new long[ElicitSlots];
    private int _elicitNext;
    private readonly long _nakDelayNs;
    private readonly long _nakRetryNs;
    private readonly long _livenessNs;
    private readonly long _groupBackoffNs;
    private ulong _random;
    private readonly bool _multicast;
    private readonly SocketAddress? _groupControl;

    private sealed class Slot
    {
        public readonly AeronImage Image;
        public readonly SocketAddress Control;
        public bool Active;
        public long LastStatusNs;
        public long LastPacketNs;
        public long GapPosition = -1;
        public int GapLength;
        public long NakDueNs;
        public int EndOfStreamStatusesSent;
        /// <summary>Group semantics (§B.12): multicast, or a SETUP with the GROUP flag; NAK delays are randomised.</summary>
        public bool Group;

        public Slot(AeronImage image, SocketAddress control)
        {
            Image = image;
            Control = control;
        }
    }

    /// <summary>Start-up: carves MaxImages logs from <paramref name="arena"/> and binds the endpoint.</summary>
    public AeronSubscription(AeronSubscriptionOptions options, Arena arena)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        ArgumentNullException.ThrowIfNull(arena);
        _nakDelayNs = Options.NakDelay.Ticks * 100;
        _nakRetryNs = Options.NakRetry.Ticks * 100;
        _livenessNs = Options.ImageLiveness.Ticks * 100;
        _groupBackoffNs = Options.MulticastNakMaxBackoff.Ticks * 100;
        ReceiverId = Random.Shared.NextInt64(long.MinValue, long.MaxValue);
        _random = (ulong)ReceiverId | 1;                     // xorshift state: any non-zero value
        LossReport = new AeronLossReport(Options.MaxImages * 4);
        IPEndPoint endpoint = Options.Endpoint!;
        _multicast = Options.IsMulticast;
        _slots = new Slot[Options.MaxImages];
        for (int i = 0; i < _slots.Length; i++)
            _slots[i] = new Slot(new AeronImage(new AeronTermLog(arena, Options.MaxTermLength)), new SocketAddress(endpoint.AddressFamily));
        _source = new SocketAddress(endpoint.AddressFamily);
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.ReceiveBufferSize = Options.ReceiveBufferBytes;
            if (_multicast)
            {
                // §B.10 multicast receiver: bind the port on any address (shared with the host's other receivers), join G.
                IPAddress iface = Options.Interface ?? IPAddress.Any;
                AeronMulticast.ShareAndJoin(_socket, endpoint, iface, Options.Ttl);
                IPEndPoint control = Options.ControlEndpoint ?? AeronMulticast.ControlOf(endpoint);
                _groupControl = control.Serialize();
                ControlEndPoint = control;
            }
            else _socket.Bind(endpoint);
            _socket.Blocking = false;
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Arena bytes a subscription with these options carves.</summary>
    public static long ArenaBytes(AeronSubscriptionOptions options) => options.MaxImages * AeronTermLog.ArenaBytes(options.MaxTermLength);

    public AeronSubscriptionOptions Options { get; }
    /// <summary>This endpoint's random receiver id, carried by every SM (§B.5).</summary>
    public long ReceiverId { get; }
    public IPEndPoint LocalEndPoint { get; }
    /// <summary>Multicast: where control frames go (G+1:port); null for unicast.</summary>
    public IPEndPoint? ControlEndPoint { get; }
    public bool IsMulticast => _multicast;
    public AeronRejectCounters Rejects { get; } = new();
    /// <summary>reliable=false: the gaps skipped, per session (§B.12).</summary>
    public AeronLossReport LossReport { get; }
    /// <summary>Gaps filled instead of NAKed (reliable=false).</summary>
    public long GapsFilled { get; private set; }
    /// <summary>Multicast: other receivers' SMs and NAKs on the shared port (§B.10: every socket there sees them), ignored.</summary>
    public long PeerControlFrames { get; private set; }
    public long Datagrams { get; private set; }
    public long StatusMessagesSent { get; private set; }
    public long NaksSent { get; private set; }
    public long SetupsElicited { get; private set; }
    public long RttmReplies { get; private set; }
    public long ImagesCreated { get; private set; }
    public long ImagesEnded { get; private set; }
    public long ImagesTimedOut { get; private set; }
    /// <summary>SETUPs refused because every image slot is taken.</summary>
    public long ImagesRefused { get; private set; }
    public long SendErrors { get; private set; }
    public long ReceiveErrors { get; private set; }

    /// <summary>Images now active.</summary>
    public int ImageCount
    {
        get
        {
            int n = 0;
            foreach (Slot s in _slots) if (s.Active) n++;
            return n;
        }
    }

    /// <summary>A subscription is connected while it has at least one image.</summary>
    public bool IsConnected => ImageCount > 0;

    /// <summary>The active image of <paramref name="sessionId"/>, or null (cold path: tests, monitoring).</summary>
    public AeronImage? FindImage(int sessionId)
    {
        foreach (Slot s in _slots) if (s.Active && s.Image.SessionId == sessionId) return s.Image;
        return null;
    }

    /// <summary>
    /// Receives what the socket holds (up to 64 datagrams), runs the status/NAK/EOS/liveness duties, then delivers whole
    /// messages of every image to <paramref name="handler"/>, at most <paramref name="fragmentLimit"/> frames in all.
    /// Returns the frames consumed. Never blocks.
    /// </summary>
    public int Poll<THandler>(ref THandler handler, int fragmentLimit) where THandler : struct, IAeronMessageHandler
    {
        long now = MonoClock.NowNs();
        // Available (FIONREAD) first: ReceiveFrom with a SocketAddress reports "would block" only by throwing.
        try
        {
            for (int i = 0; i < 64 && _socket.Available > 0; i++)
            {
                int n = _socket.ReceiveFrom(_receive.AsSpan(), SocketFlags.None, _source);
                OnDatagram(_receive.AsSpan(0, n), _source, now);
            }
        }
        catch (SocketException)
        {
            ReceiveErrors++;                                   // a pending ICMP error; the next poll goes on
        }
        int fragments = 0;
        foreach (Slot s in _slots)
        {
            if (!s.Active) continue;
            if (fragments < fragmentLimit) fragments += s.Image.Poll(ref handler, fragmentLimit - fragments);
            Duties(s, now);
        }
        return fragments;
    }

    /// <summary>One datagram from <paramref name="source"/> (§B.1: the receiver accepts DATA, PAD, SETUP, RTTM).</summary>
    internal void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, long now)
    {
        Datagrams++;
        var scanner = new AeronFrameScanner(datagram);
        AeronFrameStatus status = scanner.TryNext(out AeronFrame frame);
        if (status != AeronFrameStatus.Ok)
        {
            Rejects.Count(status);
            return;
        }
        switch (frame.Type)
        {
            case AeronFrameType.Data:
            case AeronFrameType.Pad:
                OnData(ref scanner, frame, source, now);
                break;
            case AeronFrameType.Setup:
                OnSetup(new SetupFrame(frame.Bytes), source, now);
                break;
            case AeronFrameType.Rttm:
                var rttm = new RttmFrame(frame.Bytes);
                if (rttm.ReceiverId != ReceiverId && rttm.ReceiverId != 0) { Rejects.OtherReceiver++; break; }
                if (!rttm.IsRequest) break;
                int n = RttmFrame.WriteReply(_control, rttm);
                if (SendTo(_control.AsSpan(0, n), _groupControl ?? source)) RttmReplies++;
                break;
            case AeronFrameType.StatusMessage or AeronFrameType.Nak when _multicast:
                PeerControlFrames++;                           // another receiver's, on the shared port
                break;
            default:
                Rejects.Unsupported++;                         // SM, NAK, ERR are for the sender side
                break;
        }
    }

    private void OnData(ref AeronFrameScanner scanner, AeronFrame first, SocketAddress source, long now)
    {
        var header = new DataFrame(first.Bytes);
        int sessionId = header.SessionId;
        int streamId = header.StreamId;
        if (streamId != Options.StreamId) { Rejects.OtherStream++; return; }
        Slot? slot = null;
        foreach (Slot s in _slots)
            if (s.Active && s.Image.SessionId == sessionId) { slot = s; break; }
        if (slot is null)
        {
            Rejects.UnknownSession++;
            if ((first.Flags & AeronFlags.EndOfStream) == 0) Elicit(sessionId, streamId, source, now);   // §B.10 step 4
            return;
        }
        slot.LastPacketNs = now;
        AeronImage image = slot.Image;
        AeronFrame frame = first;
        while (true)
        {
            var d = new DataFrame(frame.Bytes);
            if (d.SessionId != sessionId || d.StreamId != streamId) Rejects.OtherStream++;
            else
            {
                switch (image.Insert(frame.Bytes, frame.IsHeartbeat))
                {
                    case AeronInsertResult.Duplicate: Rejects.Duplicate++; break;
                    case AeronInsertResult.OverRun: Rejects.OverRun++; return;   // §B.9: the whole datagram is dropped
                    case AeronInsertResult.BadPosition: Rejects.BadPosition++; break;
                }
            }
            AeronFrameStatus status = scanner.TryNext(out frame);
            if (status == AeronFrameStatus.End) return;
            if (status != AeronFrameStatus.Ok) { Rejects.Count(status); return; }
            if (frame.Type != AeronFrameType.Data && frame.Type != AeronFrameType.Pad) { Rejects.Unsupported++; return; }
        }
    }

    private void OnSetup(SetupFrame setup, SocketAddress source, long now)
    {
        if (setup.StreamId != Options.StreamId) { Rejects.OtherStream++; return; }
        int sessionId = setup.SessionId;
        foreach (Slot s in _slots)
            if (s.Active && s.Image.SessionId == sessionId) return;                // repeated SETUP: the image exists
        int termLength = setup.TermLength;
        int mtu = setup.Mtu;
        int termOffset = setup.TermOffset;
        // §B.4: term length a power of two within our logs; mtu a multiple of 32 within the window; offset aligned.
        if (!AeronPosition.IsValidTermLength(termLength) || termLength > Options.MaxTermLength || !AeronPosition.IsValidMtu(mtu)
            || mtu > Window(termLength) || termOffset < 0 || termOffset >= termLength || (termOffset & 31) != 0
            || AeronPosition.TermCount(setup.ActiveTermId, setup.InitialTermId) < 0)
        {
            Rejects.BadSetup++;
            return;
        }
        Slot? free = null;
        foreach (Slot s in _slots)
            if (!s.Active) { free = s; break; }
        if (free is null) { ImagesRefused++; return; }
        free.Image.Reset(sessionId, setup.StreamId, setup.InitialTermId, setup.ActiveTermId, termOffset, termLength, mtu);
        source.Buffer.Span.Slice(0, source.Size).CopyTo(free.Control.Buffer.Span);
        free.Control.Size = source.Size;
        free.Active = true;
        free.LastPacketNs = now;
        free.GapPosition = -1;
        free.EndOfStreamStatusesSent = 0;
        free.Group = _multicast || (setup.Flags & AeronFlags.SetupGroup) != 0;
        ImagesCreated++;
        SendStatus(free, now, 0);                                                  // §B.10: an SM at once
    }

    private int Window(int termLength) => Math.Min(Options.ReceiverWindow, termLength >> 1);

    private void Duties(Slot s, long now)
    {
        AeronImage image = s.Image;
        if (image.IsEndOfStream)
        {
            // §B.10: EOS SMs, 200 ms apart, then the image goes.
            if (now - s.LastStatusNs >= StatusIntervalNs || s.EndOfStreamStatusesSent == 0)
            {
                if (s.EndOfStreamStatusesSent >= EndOfStreamStatusCount) { s.Active = false; ImagesEnded++; return; }
                SendStatus(s, now, AeronFlags.StatusEndOfStream);
                s.EndOfStreamStatusesSent++;
            }
            return;
        }
        if (now - s.LastPacketNs > _livenessNs) { s.Active = false; ImagesTimedOut++; return; }

        // §B.5: a new position once consumption moved window/4, and a keep-alive every 200 ms.
        if (image.SubscriberPosition - image.LastStatusPosition >= Window(image.TermLength) >> 2 || now - s.LastStatusNs >= StatusIntervalNs)
            SendStatus(s, now, 0);

        // §B.12: the first gap; NAK after the delay, again every retry interval while it persists.
        if (image.TryFindGap(out int termId, out int termOffset, out int length))
        {
            long gap = AeronPosition.Compute(termId, termOffset, image.PositionBits, image.InitialTermId);
            if (gap != s.GapPosition || length != s.GapLength)
            {
                s.GapPosition = gap;
                s.GapLength = length;
                s.NakDueNs = now + (s.Group ? GroupNakDelay() : _nakDelayNs);
            }
            if (now >= s.NakDueNs)
            {
                if (!Options.Reliable)
                {
                    // §B.12 unreliable mode: fill the gap with a PAD and move on; the publisher is unaffected.
                    int skipped = image.FillGap(termId, termOffset, length);
                    if (skipped > 0)
                    {
                        GapsFilled++;
                        LossReport.Record(image.SessionId, image.StreamId, skipped, now);
                    }
                    s.GapPosition = -1;
                    return;
                }
                int n = NakFrame.Write(_control, image.SessionId, image.StreamId, termId, termOffset, length);
                if (SendTo(_control.AsSpan(0, n), _groupControl ?? s.Control)) NaksSent++;
                s.NakDueNs = now + (s.Group ? GroupNakDelay() : _nakRetryNs);
            }
        }
        else s.GapPosition = -1;
    }

    /// <summary>
    /// §B.12 group NAK delay: Aeron's "optimal" feedback delay for a group of 10 with the configured maximum backoff T:
    /// λ = ln(10) + 1, x uniform in [0, 1), delay = (T/λ)·ln(1 + x·(e^λ − 1)), so 0 ≤ delay &lt; T with few short ones
    /// (about 16% under T/2): of the receivers that saw one loss, a few NAK early and the sender's repair answers the rest.
    /// </summary>
    private long GroupNakDelay()
    {
        // xorshift64* (Vigna): the subscription's own generator, so the polling thread touches no thread-local state
        // (Random.Shared builds one per thread on first use: an allocation on the hot thread).
        ulong x = _random;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _random = x;
        return GroupNakDelayNs(_groupBackoffNs, ((x * 0x2545F4914F6CDD1DUL) >> 11) * (1.0 / (1UL << 53)));
    }

    /// <summary>The group NAK delay for a uniform draw <paramref name="x"/> in [0, 1).</summary>
    internal static long GroupNakDelayNs(long maxBackoffNs, double x)
    {
        const double Lambda = 3.302585092994046;                // ln(10) + 1
        return (long)(maxBackoffNs / Lambda * Math.Log(1 + x * (Math.Exp(Lambda) - 1)));
    }

    private void SendStatus(Slot s, long now, byte flags)
    {
        AeronImage image = s.Image;
        long position = image.SubscriberPosition;
        int n = StatusMessageFrame.Write(_control, flags, image.SessionId, image.StreamId,
                                         AeronPosition.TermId(position, image.PositionBits, image.InitialTermId),
                                         AeronPosition.TermOffset(position, image.TermLength), Window(image.TermLength), ReceiverId);
        s.LastStatusNs = now;
        image.LastStatusPosition = position;
        if (SendTo(_control.AsSpan(0, n), _groupControl ?? s.Control)) StatusMessagesSent++;
    }

    private void Elicit(int sessionId, int streamId, SocketAddress source, long now)
    {
        for (int i = 0; i < ElicitSlots; i++)
        {
            if (_elicitSession[i] == sessionId && _elicitStream[i] == streamId && _elicitNs[i] != 0)
            {
                if (now - _elicitNs[i] < ElicitIntervalNs) return;
                _elicitNs[i] = now;
                SendElicit(sessionId, streamId, source);
                return;
            }
        }
        int slot = _elicitNext;
        _elicitNext = (slot + 1) % ElicitSlots;
        _elicitSession[slot] = sessionId;
        _elicitStream[slot] = streamId;
        _elicitNs[slot] = now;
        SendElicit(sessionId, streamId, source);
    }

    private void SendElicit(int sessionId, int streamId, SocketAddress source)
    {
        int n = StatusMessageFrame.Write(_control, AeronFlags.StatusSendSetup, sessionId, streamId, 0, 0, 0, ReceiverId);
        if (SendTo(_control.AsSpan(0, n), _groupControl ?? source)) SetupsElicited++;
    }

    private bool SendTo(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
            return true;
        }
        catch (SocketException)
        {
            SendErrors++;                                      // would-block or refusal: the schedule sends again
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
