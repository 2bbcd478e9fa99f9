using System;
using System.Threading;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;
using Wirespeed.Feeds.SoupBin;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// One client's session on the simulator's SoupBinTCP server, on its connection's I/O thread: the login (§2.3.1 checked,
/// answered §2.2.1 or §2.2.2), then Sequenced Data from the requested number, Server Heartbeats after a second of
/// silence, End of Session once the store has ended and everything was sent, and the socket closed on Logout Request or
/// on a client silent past the timeout (§1.3).
/// </summary>
internal sealed class SoupBinServerSession : ISoupBinConnection
{
    private const int TickMs = 10;
    private readonly SoupBinServerOptions _o;
    private readonly Func<SimMessageStore> _storeForLogin;
    private readonly SoupBinServerCounters _counters;
    private readonly SoupBinFramer _framer = new(SoupBinLayout.LoginRequestPayload + 256);
    private readonly byte[] _out = new byte[SoupBinLayout.HeaderBytes + SoupBinLayout.MaxPayloadLength + 64 * 1024];   // a batch, and room for one message of the largest size
    private IChannelHandlerContext? _ctx;
    private SimMessageStore? _store;      // set at login
    private long _next;                   // next sequence number to send
    private bool _endSent;
    private bool _closing;
    private long _lastSentMs, _lastReceivedMs;

    public SoupBinServerSession(SoupBinServerOptions options, Func<SimMessageStore> storeForLogin, SoupBinServerCounters counters)
    {
        _o = options;
        _storeForLogin = storeForLogin;
        _counters = counters;
    }

    public void OnActive(IChannelHandlerContext context)
    {
        _ctx = context;
        SoupBinSimServer.Add(ref _counters.Connections);
        _lastSentMs = _lastReceivedMs = Environment.TickCount64;
        context.Executor.Schedule(Tick, TimeSpan.FromMilliseconds(TickMs));
    }

    public void OnBytes(IChannelHandlerContext context, ReadOnlySpan<byte> bytes)
    {
        if (_closing) return;
        _lastReceivedMs = Environment.TickCount64;
        var sink = new Sink(this);
        if (_framer.Feed(bytes, ref sink) != SoupBinFrameStatus.Ok)
        {
            SoupBinSimServer.Add(ref _counters.BadPackets);
            Close();
        }
    }

    public void OnInactive(IChannelHandlerContext context) => _closing = true;

    public void OnError(IChannelHandlerContext context, Exception error) => Close();

    private readonly struct Sink : ISoupBinPacketHandler
    {
        private readonly SoupBinServerSession _s;
        public Sink(SoupBinServerSession s) => _s = s;
        public void OnPacket(byte type, ReadOnlySpan<byte> payload) => _s.OnPacket(type, payload);
    }

    private void OnPacket(byte type, ReadOnlySpan<byte> payload)
    {
        if (_closing) return;
        switch (type)
        {
            case SoupBinLayout.LoginRequest when _store is null:
                OnLogin(payload);
                return;
            case SoupBinLayout.ClientHeartbeat:
                SoupBinSimServer.Add(ref _counters.ClientHeartbeats);
                return;
            case SoupBinLayout.UnsequencedData when _store is not null:
                SoupBinSimServer.Add(ref _counters.UnsequencedReceived);
                return;
            case SoupBinLayout.LogoutRequest:
                SoupBinSimServer.Add(ref _counters.Logouts);
                Close();
                return;
            case SoupBinLayout.Debug:
                return;
            default:
                SoupBinSimServer.Add(ref _counters.BadPackets);
                return;
        }
    }

    private void OnLogin(ReadOnlySpan<byte> payload)
    {
        if (!SoupBinLogin.TryReadRequest(payload, out var user, out var password, out var session, out ulong requested))
        {
            SoupBinSimServer.Add(ref _counters.MalformedLogins);
            Close();
            return;
        }
        if (!SoupBinFields.AlphaEquals(user, _o.Username, ignoreCase: true) || !SoupBinFields.AlphaEquals(password, _o.Password, ignoreCase: true))
        {
            SoupBinSimServer.Add(ref _counters.RejectedNotAuthorized);
            Reject(SoupBinLayout.RejectNotAuthorized);
            return;
        }
        // §2.3.1: a blank requested session means the currently active one.
        if (!SoupBinFields.Trim(session).IsEmpty && !SoupBinFields.AlphaEquals(session, _o.Session, ignoreCase: false))
        {
            SoupBinSimServer.Add(ref _counters.RejectedSessionNotAvailable);
            Reject(SoupBinLayout.RejectSessionNotAvailable);
            return;
        }
        var store = _storeForLogin();
        long count = store.Count;
        // §2.3.1: 0 starts with the most recently generated message; a number past the end starts with the next one.
        _next = requested == 0 ? Math.Max(count, 1) : (long)Math.Min(requested, (ulong)count + 1);
        _store = store;
        SoupBinSimServer.Add(ref _counters.LoginsAccepted);
        Send(SoupBinWriter.LoginAccepted(_out, _o.Session, (ulong)_next));
        _ctx!.Executor.Execute(Pump);
    }

    private void Reject(byte reason)
    {
        Send(SoupBinWriter.LoginRejected(_out, reason));
        Close();
    }

    /// <summary>Sends one batch; runs again at once while more is stored and the socket takes it (back-pressure: a
    /// client that reads slowly makes the channel unwritable, and the tick resumes the pump later).</summary>
    private void Pump()
    {
        if (_closing || _store is null || _ctx is null) return;
        if (!_ctx.Channel.IsWritable) return;
        int bytes = _store.WriteSequenced(_next, _o.BatchMessages, _out, out int messages);
        if (messages > 0)
        {
            _next += messages;
            Interlocked.Add(ref _counters.SequencedSent, messages);
            Send(bytes);
            if (_next <= _store.Count) _ctx.Executor.Execute(Pump);
            return;
        }
        if (_store.Ended && !_endSent && _next > _store.Count)
        {
            _endSent = true;
            SoupBinSimServer.Add(ref _counters.EndOfSessionSent);
            Send(SoupBinWriter.Empty(_out, SoupBinLayout.EndOfSession));
        }
    }

    private void Tick()
    {
        if (_closing || _ctx is null) return;
        long now = Environment.TickCount64;
        if (now - _lastReceivedMs > (long)_o.ClientTimeout.TotalMilliseconds)
        {
            SoupBinSimServer.Add(ref _counters.ClientTimeouts);
            Close();
            return;
        }
        Pump();
        if (_store is not null && now - _lastSentMs >= (long)_o.HeartbeatInterval.TotalMilliseconds)   // §1.3: once logged in
        {
            SoupBinSimServer.Add(ref _counters.ServerHeartbeatsSent);
            Send(SoupBinWriter.Empty(_out, SoupBinLayout.ServerHeartbeat));
        }
        _ctx.Executor.Schedule(Tick, TimeSpan.FromMilliseconds(TickMs));
    }

    private void Send(int length)
    {
        SoupBinChannelHandler.Send(_ctx!, _out, length);
        _lastSentMs = Environment.TickCount64;
    }

    private void Close()
    {
        _closing = true;
        _ctx?.CloseAsync();
    }
}
