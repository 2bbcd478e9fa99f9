using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// An Aeron publication (AERON.md §B.10, §B.11, §B.12, §c "Sender"), unicast or multicast: SETUP every 100 ms until
/// the first status message; then data framed by <see cref="TermAppender"/> and sent in datagrams of at most mtu bytes
/// that never cross a term end (a PAD travels header-only and ends its datagram), up to the flow-control limit
/// (max: the largest position + window of any SM; min: the smallest over live receivers, by receiver id);
/// heartbeats after 100 ms idle; NAKed ranges resent within the resend window; EOS heartbeats for the linger period
/// after <see cref="Close"/>, ended early once every receiver sent its EOS status message.
/// </summary>
/// <remarks>
/// Unicast: one socket, connect()ed to the endpoint as aeronmd's is, so the kernel drops control frames from anyone else.
/// Multicast: a data socket connected to the group G:port, and a control socket bound to the port and joined to the
/// control group G+1 (§B.10). Not <see cref="Udp.UdpSocketSource"/>: a publication sends and receives. One thread calls
/// <see cref="Offer"/> and <see cref="DoWork"/>; neither allocates after construction.
/// </remarks>
public sealed class AeronPublication : IDisposable
{
    private const long SetupIntervalNs = 100_000_000;        // §B.13
    private const long HeartbeatIntervalNs = 100_000_000;    // §B.13
    private const long ConnectionTimeoutNs = 5_000_000_000;  // §B.13
    private const long ResendLingerNs = 10_000_000;          // §B.12
    private const int ResendWindowMultiple = 16;             // §B.12 unicast and min
    private const int MaxResendWindowMultiple = 4;           // §B.12 multicast max
    /// <summary>Receivers (distinct receiver ids) a publication tracks for flow control.</summary>
    public const int MaxReceivers = 64;

    private readonly Socket _socket;
    private readonly Socket? _controlSocket;
    private readonly bool _multicast;
    private readonly AeronFlowControlMode _fcMode;
    private readonly long _receiverTimeoutNs;
    private readonly int _minReceivers;
    private readonly int _resendMultiple;
    private readonly long[] _rxId = new long[MaxReceivers];
    private readonly long[] _rxLimit = new long[MaxReceivers];
    private readonly long[] _rxLastNs = new long[MaxReceivers];
    private int _rxCount;
    private readonly TermAppender _appender;
    private readonly AeronTermLog _log;
    private readonly byte[] _control = GC.AllocateArray<byte>(2048, pinned: true);
    private readonly byte[] _receive = GC.AllocateArray<byte>(2048, pinned: true);
    private readonly int _termLength;
    private readonly int _bits;
    private readonly int _mtu;
    private readonly long _lingerNs;
    private readonly long _maxPosition;

    private long _senderPosition;
    private long _senderLimit;
    private long _lastStatusNs = long.MinValue / 2;
    private long _lastSendNs;
    private long _lastSetupNs = long.MinValue / 2;
    private bool _statusSeen;
    private bool _setupElicited;
    private int _receiverWindow;
    private bool _closed;
    private long _lingerDeadlineNs;
    private bool _eosAcknowledged;
    private long _resendStart = -1;
    private long _resendEnd;
    private long _resendUntilNs;

    /// <summary>Start-up: carves the log from <paramref name="arena"/> and opens the socket.</summary>
    public AeronPublication(AeronPublicationOptions options, Arena arena)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _termLength = Options.TermLength;
        _bits = AeronPosition.PositionBitsToShift(_termLength);
        _mtu = Options.Mtu;
        _lingerNs = Options.Linger.Ticks * 100;
        _maxPosition = AeronPosition.MaxPosition(_termLength);
        SessionId = Options.SessionId ?? RandomInt();
        InitialTermId = Options.InitialTermId ?? RandomInt();
        _log = new AeronTermLog(arena, _termLength);
        _appender = new TermAppender(_log, InitialTermId, SessionId, Options.StreamId, _mtu);
        _multicast = Options.IsMulticast;
        _fcMode = Options.FlowControl.Mode;
        _receiverTimeoutNs = _fcMode == AeronFlowControlMode.Min ? Options.FlowControl.ReceiverTimeout.Ticks * 100 : ConnectionTimeoutNs;
        _minReceivers = Math.Max(1, Options.FlowControl.MinReceivers);
        _resendMultiple = _multicast && _fcMode == AeronFlowControlMode.Max ? MaxResendWindowMultiple : ResendWindowMultiple;
        IPEndPoint endpoint = Options.Endpoint!;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.SendBufferSize = 2 * 1024 * 1024;
            _socket.ReceiveBufferSize = 1024 * 1024;
            IPAddress any = endpoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
            if (_multicast)
            {
                IPAddress iface = Options.Interface?.Address ?? IPAddress.Any;
                _socket.Bind(new IPEndPoint(any, 0));
                AeronMulticast.SetSending(_socket, iface, Options.Ttl);
                IPEndPoint control = Options.ControlEndpoint ?? AeronMulticast.ControlOf(endpoint);
                _controlSocket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                _controlSocket.ReceiveBufferSize = 1024 * 1024;
                AeronMulticast.ShareAndJoin(_controlSocket, control, iface, Options.Ttl);
                _controlSocket.Blocking = false;
                ControlEndPoint = control;
            }
            else _socket.Bind(Options.Interface ?? new IPEndPoint(any, 0));
            _socket.Connect(endpoint);
            _socket.Blocking = false;
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        }
        catch
        {
            _socket.Dispose();
            _controlSocket?.Dispose();
            throw;
        }
    }

    private static int RandomInt() => (int)(uint)Random.Shared.NextInt64(0, 1L << 32);

    public AeronPublicationOptions Options { get; }
    public int SessionId { get; }
    public int InitialTermId { get; }
    public int StreamId => Options.StreamId;
    public IPEndPoint LocalEndPoint { get; }
    /// <summary>Multicast: the control group status messages and NAKs arrive on (G+1:port); null for unicast.</summary>
    public IPEndPoint? ControlEndPoint { get; }
    public bool IsMulticast => _multicast;
    /// <summary>Receivers (receiver ids) heard within their timeout.</summary>
    public int ReceiverCount => _rxCount;
    /// <summary>Status messages from receivers beyond <see cref="MaxReceivers"/>: not tracked (max flow control still uses them).</summary>
    public long ReceiversRefused { get; private set; }
    /// <summary>Receivers dropped for silence (min: t:, else the 5 s connection timeout) or after their EOS status message.</summary>
    public long ReceiversLeft { get; private set; }
    public int MaxMessageLength => _appender.MaxMessageLength;
    public int MaxPayloadLength => _appender.MaxPayloadLength;
    /// <summary>Position of the next frame to be written.</summary>
    public long Position => _appender.Tail;
    /// <summary>Position of the next byte to be sent.</summary>
    public long SenderPosition => _senderPosition;
    /// <summary>Flow-control limit from the status messages.</summary>
    public long SenderLimit => _senderLimit;
    /// <summary>A receiver sent a status message within the connection timeout (5 s).</summary>
    public bool IsConnected { get; private set; }
    /// <summary>Closed, everything sent, and either the receiver acknowledged EOS or the linger period passed.</summary>
    public bool IsLingerComplete { get; private set; }
    public AeronRejectCounters Rejects { get; } = new();
    public long SetupsSent { get; private set; }
    public long HeartbeatsSent { get; private set; }
    public long DatagramsSent { get; private set; }
    public long StatusMessagesReceived { get; private set; }
    public long NaksReceived { get; private set; }
    public long Retransmits { get; private set; }
    /// <summary>NAKs outside the resend window or inside the 10 ms linger of the last resend (§B.12).</summary>
    public long NaksIgnored { get; private set; }
    public long RttmReplies { get; private set; }
    public long ErrorsReceived { get; private set; }
    public int LastErrorCode { get; private set; }
    public long SendErrors { get; private set; }

    /// <summary>
    /// Appends <paramref name="message"/>; once an mtu's worth of frames waits, sends what flow control allows (the rest
    /// goes on the next <see cref="DoWork"/>, so small messages share datagrams). Returns the new position, or
    /// <see cref="AeronOfferResult"/>'s negative codes. Throws only for a message longer than <see cref="MaxMessageLength"/>
    /// (a programmer error, as in Aeron).
    /// </summary>
    public long Offer(ReadOnlySpan<byte> message, long reservedValue = 0)
    {
        if (_closed) return AeronOfferResult.Closed;
        if (!IsConnected) return AeronOfferResult.NotConnected;
        if (message.Length > _appender.MaxMessageLength) ThrowTooLong(message.Length);
        long tail = _appender.Tail;
        int required = _appender.RequiredLength(message.Length);
        if (tail + required > _maxPosition) return AeronOfferResult.MaxPositionExceeded;
        if (tail + required > _senderPosition + (_termLength >> 1)) return AeronOfferResult.BackPressured;
        long position = _appender.Append(message, reservedValue);
        // Batching, as Aeron's sender does: a datagram goes once an mtu's worth waits; DoWork sends the rest.
        if (position - _senderPosition >= _mtu) SendData(MonoClock.NowNs());
        return position;
    }

    /// <summary>Starts the close (§B.3 EOS): no more offers; EOS heartbeats follow once everything is sent.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        _lingerDeadlineNs = MonoClock.NowNs() + _lingerNs;
    }

    /// <summary>Control input, SETUP, pending data, heartbeats and EOS. Returns a work count (0 when idle).</summary>
    public int DoWork()
    {
        long now = MonoClock.NowNs();
        int work = ReceiveControl(now);
        ExpireReceivers(now);
        IsConnected = _statusSeen && now - _lastStatusNs < ConnectionTimeoutNs
                      && (_fcMode == AeronFlowControlMode.Max || _rxCount >= _minReceivers);
        if ((!_statusSeen || _setupElicited) && now - _lastSetupNs >= SetupIntervalNs && !(_closed && _setupElicited))
        {
            SendSetup(now);
            work++;
        }
        if (IsConnected) work += SendData(now);
        if (_statusSeen && _senderPosition == _appender.Tail)
        {
            bool eos = _closed;
            if (eos && (_eosAcknowledged || now >= _lingerDeadlineNs)) IsLingerComplete = true;
            else if (now - _lastSendNs >= HeartbeatIntervalNs)
            {
                SendHeartbeat(now, eos);
                work++;
            }
        }
        else if (_closed && now >= _lingerDeadlineNs) IsLingerComplete = true;
        return work;
    }

    private int ReceiveControl(long now)
    {
        int work = 0;
        Socket socket = _controlSocket ?? _socket;
        for (int i = 0; i < 64; i++)
        {
            int n = socket.Receive(_receive.AsSpan(), SocketFlags.None, out SocketError error);
            if (error != SocketError.Success) break;            // would-block, or an ICMP refusal surfaced as an error
            work++;
            OnControl(_receive.AsSpan(0, n), now);
        }
        return work;
    }

    /// <summary>One control datagram (§B.1: the sender accepts SM, NAK, ERR, RTTM).</summary>
    internal void OnControl(ReadOnlySpan<byte> datagram, long now)
    {
        var scanner = new AeronFrameScanner(datagram);
        AeronFrameStatus status = scanner.TryNext(out AeronFrame frame);
        if (status != AeronFrameStatus.Ok)
        {
            Rejects.Count(status);
            return;
        }
        switch (frame.Type)
        {
            case AeronFrameType.StatusMessage: OnStatus(new StatusMessageFrame(frame.Bytes), now); break;
            case AeronFrameType.Nak: OnNak(new NakFrame(frame.Bytes), now); break;
            case AeronFrameType.Rttm: OnRttm(new RttmFrame(frame.Bytes)); break;
            case AeronFrameType.Error:
                var err = new ErrorFrame(frame.Bytes);
                if (err.SessionId != SessionId || err.StreamId != StreamId) { Rejects.OtherReceiver++; break; }
                ErrorsReceived++;
                LastErrorCode = err.ErrorCode;
                break;
            default: Rejects.Unsupported++; break;             // DATA, PAD, SETUP belong to the receiver side
        }
    }

    private void OnStatus(StatusMessageFrame sm, long now)
    {
        if (sm.SessionId != SessionId || sm.StreamId != StreamId) { Rejects.OtherReceiver++; return; }
        StatusMessagesReceived++;
        if ((sm.Flags & AeronFlags.StatusSendSetup) != 0)
        {
            if (!_closed) _setupElicited = true;               // §B.10 elicit-setup; never once EOS
            return;
        }
        long position = AeronPosition.Compute(sm.ConsumptionTermId, sm.ConsumptionTermOffset, _bits, InitialTermId);
        if (position < 0 || position > _appender.Tail) { Rejects.BadPosition++; return; }
        if (!_statusSeen) _lastSendNs = long.MinValue / 2;      // §B.10: the first heartbeat goes at once
        _statusSeen = true;
        _lastStatusNs = now;
        _receiverWindow = sm.ReceiverWindow;
        long limit = position + sm.ReceiverWindow;
        long receiverId = sm.ReceiverId;
        int index = FindReceiver(receiverId);
        if ((sm.Flags & AeronFlags.StatusEndOfStream) != 0)
        {
            // §B.5: the receiver's image is closing; min flow control drops it, and once none is left the close is done.
            if (index >= 0) RemoveReceiver(index);
            if (_closed && _rxCount == 0) _eosAcknowledged = true;
        }
        else if (index >= 0)
        {
            _rxLimit[index] = limit;
            _rxLastNs[index] = now;
        }
        else if (_rxCount < MaxReceivers)
        {
            _rxId[_rxCount] = receiverId;
            _rxLimit[_rxCount] = limit;
            _rxLastNs[_rxCount] = now;
            _rxCount++;
        }
        else ReceiversRefused++;
        if (_fcMode == AeronFlowControlMode.Max)
        {
            if (limit > _senderLimit) _senderLimit = limit;    // §B.11 unicast and max: the limit never moves back
        }
        else RecomputeMinLimit();
        IsConnected = _fcMode == AeronFlowControlMode.Max || _rxCount >= _minReceivers;
    }

    private int FindReceiver(long receiverId)
    {
        for (int i = 0; i < _rxCount; i++) if (_rxId[i] == receiverId) return i;
        return -1;
    }

    private void RemoveReceiver(int index)
    {
        int last = --_rxCount;
        _rxId[index] = _rxId[last];
        _rxLimit[index] = _rxLimit[last];
        _rxLastNs[index] = _rxLastNs[last];
        ReceiversLeft++;
        if (_fcMode == AeronFlowControlMode.Min) RecomputeMinLimit();
    }

    /// <summary>§B.11 min: the smallest position + window over live receivers; unchanged when none is left.</summary>
    private void RecomputeMinLimit()
    {
        if (_rxCount == 0) return;
        long min = long.MaxValue;
        for (int i = 0; i < _rxCount; i++) if (_rxLimit[i] < min) min = _rxLimit[i];
        _senderLimit = min;
    }

    private void ExpireReceivers(long now)
    {
        for (int i = _rxCount - 1; i >= 0; i--)
            if (now - _rxLastNs[i] > _receiverTimeoutNs) RemoveReceiver(i);
    }

    private void OnNak(NakFrame nak, long now)
    {
        if (nak.SessionId != SessionId || nak.StreamId != StreamId) { Rejects.OtherReceiver++; return; }
        NaksReceived++;
        int termOffset = nak.TermOffset;
        int length = nak.GapLength;
        long nakPosition = AeronPosition.Compute(nak.TermId, termOffset, _bits, InitialTermId);
        // §B.12: only within [snd_pos − term/2 − max message, snd_pos); aligned; inside its term.
        if ((termOffset & 31) != 0 || termOffset < 0 || termOffset >= _termLength || length <= 0
            || nakPosition < _senderPosition - (_termLength >> 1) - _appender.MaxMessageLength || nakPosition >= _senderPosition
            || nakPosition < 0)
        {
            NaksIgnored++;
            return;
        }
        if (_resendStart >= 0 && now < _resendUntilNs && nakPosition < _resendEnd && nakPosition + length > _resendStart)
        {
            NaksIgnored++;                                     // the range was resent < 10 ms ago
            return;
        }
        long window = Math.Max((long)_receiverWindow, _mtu) * _resendMultiple;
        long end = Math.Min(Math.Min(nakPosition + Math.Min(length, window), nakPosition - termOffset + _termLength), _senderPosition);
        _resendStart = nakPosition;
        _resendEnd = end;
        _resendUntilNs = now + ResendLingerNs;
        long position = nakPosition;
        while (position < end)
        {
            // Whole frames up to what was sent: a NAK shorter than the frame at its start still gets that frame.
            long advanced = SendFrames(position, _senderPosition, now);
            if (advanced <= 0) break;
            position += advanced;
            Retransmits++;
        }
    }

    private void OnRttm(RttmFrame rttm)
    {
        if (rttm.SessionId != SessionId || rttm.StreamId != StreamId) { Rejects.OtherReceiver++; return; }
        if (!rttm.IsRequest) return;
        int n = RttmFrame.WriteReply(_control, rttm);
        if (Send(_control.AsSpan(0, n))) RttmReplies++;
    }

    private int SendData(long now)
    {
        int sent = 0;
        long limit = Math.Min(_appender.Tail, _senderLimit);
        while (_senderPosition < limit)
        {
            long advanced = SendFrames(_senderPosition, limit, now);
            if (advanced <= 0) break;
            _senderPosition += advanced;
            sent++;
        }
        return sent;
    }

    /// <summary>
    /// Sends one datagram of whole aligned frames from <paramref name="position"/>: at most mtu bytes, never past
    /// <paramref name="limit"/> or the term end; a PAD goes header-only and ends it (§B.3). Returns the position
    /// advance (a PAD's full length included), or 0 when nothing could be sent.
    /// </summary>
    private long SendFrames(long position, long limit, long now)
    {
        int termOffset = AeronPosition.TermOffset(position, _termLength);
        ReadOnlySpan<byte> term = _log.TermFor(position >> _bits);
        long available = Math.Min(limit - position, _termLength - termOffset);
        int length = 0;
        int advance = 0;
        while (length < available)
        {
            ReadOnlySpan<byte> frame = term.Slice(termOffset + length);
            int frameLength = BinaryPrimitives.ReadInt32LittleEndian(frame);
            if (frameLength <= 0) break;
            int aligned = AeronLayout.Align(frameLength);
            if (BinaryPrimitives.ReadInt16LittleEndian(frame.Slice(AeronLayout.Type)) == AeronFrameType.Pad)
            {
                if (length + AeronLayout.Data.HeaderLength > _mtu) break;
                advance = length + aligned;
                length += AeronLayout.Data.HeaderLength;
                return Send(term.Slice(termOffset, length), now) ? advance : 0;
            }
            if (length + aligned > _mtu || length + aligned > available) break;
            length += aligned;
        }
        if (length == 0) return 0;
        return Send(term.Slice(termOffset, length), now) ? length : 0;
    }

    private bool Send(ReadOnlySpan<byte> datagram, long now)
    {
        if (!Send(datagram)) return false;
        DatagramsSent++;
        _lastSendNs = now;
        return true;
    }

    private bool Send(ReadOnlySpan<byte> datagram)
    {
        _socket.Send(datagram, SocketFlags.None, out SocketError error);
        if (error == SocketError.Success) return true;
        SendErrors++;                                          // would-block or ICMP refusal: retried on the next duty cycle
        return false;
    }

    private void SendSetup(long now)
    {
        long position = _senderPosition;
        // §B.4: the GROUP flag and the TTL on multicast.
        int n = SetupFrame.Write(_control, _multicast ? AeronFlags.SetupGroup : (byte)0, AeronPosition.TermOffset(position, _termLength), SessionId,
                                 StreamId, InitialTermId, AeronPosition.TermId(position, _bits, InitialTermId), _termLength, _mtu, Options.Ttl ?? 0);
        _lastSetupNs = now;
        _setupElicited = false;
        if (Send(_control.AsSpan(0, n))) SetupsSent++;
    }

    private void SendHeartbeat(long now, bool endOfStream)
    {
        long position = _senderPosition;
        DataFrame.WriteHeartbeat(_control, AeronPosition.TermOffset(position, _termLength), SessionId, StreamId,
                                 AeronPosition.TermId(position, _bits, InitialTermId), endOfStream);
        if (Send(_control.AsSpan(0, AeronLayout.Data.HeaderLength), now)) HeartbeatsSent++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTooLong(int length)
        => throw new ArgumentException($"message of {length} bytes exceeds the maximum {_appender.MaxMessageLength} (term length / 8, at most 16 MiB).");

    public void Dispose()
    {
        _socket.Dispose();
        _controlSocket?.Dispose();
    }
}
