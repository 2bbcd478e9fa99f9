using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Wirespeed.Feeds.SoupBin;

/*
 * SoupBinTCP 3.00 client session (§1.2 Protocol Flow, §1.3 Heartbeats, §2.2/§2.3 packets) over DotNetty.
 *
 * Everything runs on one DotNetty event-loop thread of the client's own: connect, login, framing, heartbeats, timeouts
 * and reconnects. That thread is never a hot-path thread; it hands data to an ISoupBinDataHandler that only copies
 * (SoupBinRingSink: a bounded SPSC ring the hot worker polls). Nothing here blocks: timers are event-loop tasks.
 *
 * Sequence numbers are implicit (§1.2): the Login Accepted packet carries the number of the next Sequenced Data
 * packet, and every Sequenced Data packet counts one up from it. After a lost link (server silent past the timeout,
 * disconnect, broken framing, a handler that cannot take a message) the client logs in again to the session it was
 * accepted into, from its next expected number, after a back-off that doubles per failure: nothing is lost or repeated.
 * End of Session, a rejected login and a logout are final: the client stops and Completion finishes.
 */

/// <summary>
/// A SoupBinTCP client: logs in, hands sequenced and unsequenced data to a handler with their sequence numbers, sends
/// heartbeats when idle, drops a silent link and reconnects with back-off. Start, Logout and Dispose may be called from
/// any thread; everything else happens on the client's I/O thread.
/// </summary>
public sealed class SoupBinClient : IDisposable, ISoupBinConnection
{
    private readonly SoupBinClientOptions _o;
    private readonly ISoupBinDataHandler _handler;
    private readonly MultithreadEventLoopGroup _group;
    private readonly IEventExecutor _loop;
    private readonly Bootstrap _bootstrap;
    private readonly SoupBinFramer _framer;
    private readonly byte[] _out = new byte[SoupBinLayout.HeaderBytes + SoupBinLayout.LoginRequestPayload];
    private readonly TimeSpan _tickInterval;
    private readonly TaskCompletionSource<SoupBinClientState> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private IChannelHandlerContext? _ctx;   // the live connection, or null
    private bool _dropping;                 // the live connection is being closed: ignore its remaining packets
    private IScheduledTask? _tick;
    private volatile SoupBinClientState _state;
    private volatile string _session;
    private long _nextSequence;
    private bool _accepted;                 // a login was accepted once: reconnects name its session and our next number
    private int _failures;
    private int _reconnects;
    private bool _stopping;
    private long _lastSentMs, _lastReceivedMs, _loginSentMs;

    /// <param name="options">Validated here.</param>
    /// <param name="handler">Receives the data on the client's I/O thread; must only copy.</param>
    public SoupBinClient(SoupBinClientOptions options, ISoupBinDataHandler handler)
    {
        _o = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        // A message the framer accepts but the ring's slot cannot hold would be refused as "full" for ever: each login
        // again from that message would meet it again. Refuse the pairing here instead.
        if (handler is SoupBinRingSink sink && _o.MaxPayload > sink.MaxMessage)
            throw new ArgumentException($"MaxPayload={_o.MaxPayload} exceeds the ring sink's slot ({sink.MaxMessage} bytes): set MaxPayload to at most {sink.MaxMessage}, or give the sink larger slots.", nameof(options));
        _framer = new SoupBinFramer(_o.MaxPayload);
        _session = _o.Session;
        _nextSequence = (long)_o.FirstSequence;
        long tick = Math.Min(_o.HeartbeatInterval.Ticks, Math.Min(_o.LoginTimeout.Ticks, _o.ServerTimeout.Ticks)) / 4;
        _tickInterval = TimeSpan.FromTicks(Math.Clamp(tick, TimeSpan.TicksPerMillisecond * 5, TimeSpan.TicksPerMillisecond * 250));
        _group = new MultithreadEventLoopGroup(1);
        _loop = _group.GetNext();
        _bootstrap = new Bootstrap()
            .Group(_group)
            .Channel<TcpSocketChannel>()
            .Option(ChannelOption.TcpNodelay, true)
            .Option(ChannelOption.ConnectTimeout, _o.LoginTimeout)
            .Handler(new ActionChannelInitializer<ISocketChannel>(ch => ch.Pipeline.AddLast(new SoupBinChannelHandler(this))));
    }

    /// <summary>Per-cause counters.</summary>
    public SoupBinClientCounters Counters { get; } = new();
    /// <summary>Where the client stands.</summary>
    public SoupBinClientState State => _state;
    /// <summary>The session the server accepted us into (padding trimmed); the requested one before that.</summary>
    public string Session => _session;
    /// <summary>Sequence number of the next Sequenced Data packet expected.</summary>
    public ulong NextSequence => (ulong)Volatile.Read(ref _nextSequence);
    /// <summary>The Login Rejected reason code ('A' not authorized, 'S' session not available), or 0.</summary>
    public byte RejectReason { get; private set; }
    /// <summary>Why the last connection was closed by this side, or null.</summary>
    public string? LastDropReason { get; private set; }
    /// <summary>Finishes with the final state: EndOfSession, Rejected, LoggedOut or GaveUp.</summary>
    public Task<SoupBinClientState> Completion => _done.Task;

    /// <summary>Connects and logs in (returns at once; progress shows in <see cref="State"/>).</summary>
    public void Start()
    {
        if (_state != SoupBinClientState.Idle) throw new InvalidOperationException("The client was started already.");
        _state = SoupBinClientState.Connecting;
        _loop.Execute(Connect);
    }

    /// <summary>Sends Logout Request (§2.3.4) when logged in and closes the link; final state LoggedOut.</summary>
    public void Logout() => _loop.Execute(LogoutOnLoop);

    /// <summary>Logs out (when logged in), closes the link and stops the I/O thread. Waits at most a second or two.</summary>
    public void Dispose()
    {
        if (!_group.IsShuttingDown)
        {
            Logout();
            try
            {
                _done.Task.Wait(TimeSpan.FromSeconds(1));
            }
            catch (AggregateException)
            {
                // Completion never faults; nothing to report.
            }
            _group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1)).Wait(TimeSpan.FromSeconds(2));
        }
        _done.TrySetResult(_state);
    }

    // ---- I/O thread -----------------------------------------------------------------------------------------------

    private void Connect()
    {
        if (_stopping)
        {
            Finish(SoupBinClientState.LoggedOut);
            return;
        }
        _state = SoupBinClientState.Connecting;
        _bootstrap.ConnectAsync(_o.Host, _o.Port).ContinueWith(t =>
        {
            if (t.IsFaulted || t.IsCanceled)
            {
                string why = t.Exception?.GetBaseException().Message ?? "cancelled";
                _loop.Execute(() => ConnectFailed(why));
            }
        }, TaskScheduler.Default);
    }

    private void ConnectFailed(string why)
    {
        Counters.ConnectFailures++;
        LastDropReason = "connect failed: " + why;
        ScheduleReconnect();
    }

    void ISoupBinConnection.OnActive(IChannelHandlerContext context)
    {
        Counters.Connects++;
        _ctx = context;
        _dropping = false;
        _framer.Reset();
        if (_stopping)
        {
            context.CloseAsync();
            return;
        }
        // §2.3.1: after a lost link, the accepted session and the next expected number; before, what was configured.
        ulong from = _accepted ? (ulong)_nextSequence : _o.FirstSequence;
        int n = SoupBinWriter.LoginRequest(_out, _o.Username, _o.Password, _accepted ? _session : _o.Session, from);
        Send(n);
        _state = SoupBinClientState.LoggingIn;
        _loginSentMs = _lastReceivedMs = Environment.TickCount64;
        _tick = _loop.Schedule(Tick, _tickInterval);
    }

    void ISoupBinConnection.OnBytes(IChannelHandlerContext context, ReadOnlySpan<byte> bytes)
    {
        if (!ReferenceEquals(context, _ctx) || _dropping) return;
        _lastReceivedMs = Environment.TickCount64;
        var sink = new PacketSink(this);
        var status = _framer.Feed(bytes, ref sink);
        if (status is SoupBinFrameStatus.ZeroLength or SoupBinFrameStatus.Oversized)
        {
            Counters.FramingErrors++;
            Drop(status == SoupBinFrameStatus.ZeroLength ? "a zero length prefix" : "a length prefix above the maximum payload");
        }
    }

    void ISoupBinConnection.OnInactive(IChannelHandlerContext context)
    {
        if (!ReferenceEquals(context, _ctx)) return;
        Counters.Disconnects++;
        if (_framer.PendingBytes > 0) Counters.DisconnectsMidPacket++;
        _ctx = null;
        _tick?.Cancel();
        _tick = null;
        if (IsFinal(_state)) Finish(_state);
        else ScheduleReconnect();
    }

    void ISoupBinConnection.OnError(IChannelHandlerContext context, Exception error)
    {
        if (ReferenceEquals(context, _ctx)) Drop("socket error: " + error.Message);
        else context.CloseAsync();
    }

    private readonly struct PacketSink : ISoupBinPacketHandler
    {
        private readonly SoupBinClient _client;
        public PacketSink(SoupBinClient client) => _client = client;
        public void OnPacket(byte type, ReadOnlySpan<byte> payload) => _client.OnPacket(type, payload);
    }

    private void OnPacket(byte type, ReadOnlySpan<byte> payload)
    {
        if (_dropping) return;   // the rest of a segment after we decided to close
        switch (type)
        {
            case SoupBinLayout.SequencedData:
                if (_state != SoupBinClientState.LoggedIn)
                {
                    Counters.UnexpectedPackets++;
                    return;
                }
                if (!_handler.OnSequenced((ulong)_nextSequence, payload))
                {
                    Counters.HandlerFull++;
                    Drop("the data handler is full");   // log in again from this very number: nothing lost
                    return;
                }
                Volatile.Write(ref _nextSequence, _nextSequence + 1);
                Counters.SequencedMessages++;
                return;
            case SoupBinLayout.ServerHeartbeat:
                Counters.ServerHeartbeats++;
                return;
            case SoupBinLayout.UnsequencedData:
                if (_state != SoupBinClientState.LoggedIn)
                {
                    Counters.UnexpectedPackets++;
                    return;
                }
                if (!_handler.OnUnsequenced(payload))
                {
                    Counters.HandlerFull++;
                    Drop("the data handler is full");
                    return;
                }
                Counters.UnsequencedMessages++;
                return;
            case SoupBinLayout.LoginAccepted:
                OnLoginAccepted(payload);
                return;
            case SoupBinLayout.LoginRejected:
                OnLoginRejected(payload);
                return;
            case SoupBinLayout.EndOfSession:
                Counters.EndOfSession++;
                _handler.OnEndOfSession((ulong)_nextSequence);
                _state = SoupBinClientState.EndOfSession;
                Drop("end of session");
                return;
            case SoupBinLayout.Debug:
                Counters.DebugPackets++;
                return;
            default:
                Counters.UnexpectedPackets++;
                return;
        }
    }

    private void OnLoginAccepted(ReadOnlySpan<byte> payload)
    {
        if (_state != SoupBinClientState.LoggingIn)
        {
            Counters.UnexpectedPackets++;
            return;
        }
        if (!SoupBinLogin.TryReadAccepted(payload, out var session, out ulong next))
        {
            Counters.MalformedLogins++;
            Drop("a malformed Login Accepted");
            return;
        }
        _session = Encoding.ASCII.GetString(SoupBinFields.Trim(session));
        Volatile.Write(ref _nextSequence, (long)next);
        _accepted = true;
        _failures = 0;
        Counters.LoginsAccepted++;
        _state = SoupBinClientState.LoggedIn;
    }

    private void OnLoginRejected(ReadOnlySpan<byte> payload)
    {
        if (_state != SoupBinClientState.LoggingIn)
        {
            Counters.UnexpectedPackets++;
            return;
        }
        byte code = payload.Length == SoupBinLayout.LoginRejectedPayload ? payload[0] : (byte)0;
        RejectReason = code;
        if (code == SoupBinLayout.RejectNotAuthorized) Counters.RejectedNotAuthorized++;
        else if (code == SoupBinLayout.RejectSessionNotAvailable) Counters.RejectedSessionNotAvailable++;
        else Counters.RejectedOther++;
        // Final: wrong credentials or a session the server does not have are not cured by retrying.
        _state = SoupBinClientState.Rejected;
        Drop("login rejected");
    }

    private void Tick()
    {
        _tick = null;
        if (_ctx is null || _dropping) return;
        long now = Environment.TickCount64;
        if (_state == SoupBinClientState.LoggingIn && now - _loginSentMs > (long)_o.LoginTimeout.TotalMilliseconds)
        {
            Counters.LoginTimeouts++;
            Drop("no answer to the login");
            return;
        }
        if (_state == SoupBinClientState.LoggedIn)
        {
            if (now - _lastReceivedMs > (long)_o.ServerTimeout.TotalMilliseconds)
            {
                Counters.ServerTimeouts++;
                Drop("the server was silent past the timeout");
                return;
            }
            // §1.3: the client sends a heartbeat when it has sent nothing for a second.
            if (now - _lastSentMs >= (long)_o.HeartbeatInterval.TotalMilliseconds)
            {
                Send(SoupBinWriter.Empty(_out, SoupBinLayout.ClientHeartbeat));
                Counters.ClientHeartbeatsSent++;
            }
        }
        _tick = _loop.Schedule(Tick, _tickInterval);
    }

    private void LogoutOnLoop()
    {
        _stopping = true;
        if (IsFinal(_state))
        {
            if (_ctx is null) Finish(_state);
            return;
        }
        if (_ctx is null)
        {
            if (_state != SoupBinClientState.Connecting) Finish(SoupBinClientState.LoggedOut);
            else _state = SoupBinClientState.LoggedOut;   // the pending connect closes itself in OnActive or fails
            return;
        }
        if (_state == SoupBinClientState.LoggedIn)
        {
            Send(SoupBinWriter.Empty(_out, SoupBinLayout.LogoutRequest));
            Counters.LogoutsSent++;
        }
        _state = SoupBinClientState.LoggedOut;
        Drop("logout");
    }

    private void Send(int length)
    {
        SoupBinChannelHandler.Send(_ctx!, _out, length);
        _lastSentMs = Environment.TickCount64;
    }

    private void Drop(string reason)
    {
        _dropping = true;
        LastDropReason = reason;
        _ctx?.CloseAsync();   // writes queued before (a logout) are flushed first: the close is queued behind them
    }

    private void ScheduleReconnect()
    {
        if (_stopping || IsFinal(_state))
        {
            Finish(IsFinal(_state) ? _state : SoupBinClientState.LoggedOut);
            return;
        }
        if (_o.MaxReconnects >= 0 && _reconnects >= _o.MaxReconnects)
        {
            Finish(SoupBinClientState.GaveUp);
            return;
        }
        long delay = Math.Min(_o.ReconnectDelay.Ticks << Math.Min(_failures, 20), _o.ReconnectDelayMax.Ticks);
        _failures++;
        _reconnects++;
        Counters.Reconnects++;
        _state = SoupBinClientState.Backoff;
        _loop.Schedule(Connect, TimeSpan.FromTicks(delay));
    }

    private void Finish(SoupBinClientState state)
    {
        _state = state;
        _done.TrySetResult(state);
    }

    private static bool IsFinal(SoupBinClientState s) =>
        s is SoupBinClientState.EndOfSession or SoupBinClientState.Rejected or SoupBinClientState.LoggedOut or SoupBinClientState.GaveUp;
}
