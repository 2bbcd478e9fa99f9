using System;
using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Wirespeed.Feeds.Fix.Session.Tcp;

/// <summary>A session's view of one DotNetty channel: writes are queued on the channel's event loop, never blocking.</summary>
internal sealed class FixChannelLink(IChannel channel) : IFixSessionLink
{
    public IChannel Channel { get; } = channel;

    public void Send(ReadOnlySpan<byte> message) => Channel.WriteAndFlushAsync(Unpooled.WrappedBuffer(message.ToArray()));

    public void Disconnect() => Channel.CloseAsync();
}

/// <summary>
/// The pipeline's one handler: bytes in go to the session (which frames them with <see cref="FixFramer"/>), the
/// channel's end goes to the session as a disconnect. An acceptor's connection has no session until its first
/// message names one (SenderCompID and TargetCompID of the Logon), so the handler buffers until then.
/// </summary>
internal sealed class FixChannelHandler : ChannelHandlerAdapter
{
    private readonly Func<ReadOnlySpan<byte>, FixSession?>? _route;   // acceptor: first message → session
    private FixSession? _session;
    private FixChannelLink? _link;
    private byte[] _bytes = new byte[16384];
    private byte[] _pending = Array.Empty<byte>();                      // acceptor: bytes before the session is known
    private readonly FixEngineCounters _counters;

    /// <summary>Initiator side: the session is known.</summary>
    public FixChannelHandler(FixSession session, FixEngineCounters counters)
    {
        _session = session;
        _counters = counters;
    }

    /// <summary>Acceptor side: <paramref name="route"/> finds the session for the first message, or null.</summary>
    public FixChannelHandler(Func<ReadOnlySpan<byte>, FixSession?> route, FixEngineCounters counters)
    {
        _route = route;
        _counters = counters;
    }

    public override void ChannelActive(IChannelHandlerContext context)
    {
        _link = new FixChannelLink(context.Channel);
        _session?.Connected(_link);
        base.ChannelActive(context);
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is not IByteBuffer buffer) { ReferenceCountUtil.Release(message); return; }
        try
        {
            int n = buffer.ReadableBytes;
            if (_bytes.Length < n) _bytes = new byte[Math.Max(n, _bytes.Length * 2)];
            buffer.GetBytes(buffer.ReaderIndex, _bytes, 0, n);
            if (_session is not null) { _session.Received(_bytes.AsSpan(0, n)); return; }
            Route(context, _bytes.AsSpan(0, n));
        }
        finally
        {
            ReferenceCountUtil.Release(buffer);
        }
    }

    private void Route(IChannelHandlerContext context, ReadOnlySpan<byte> bytes)
    {
        var all = new byte[_pending.Length + bytes.Length];
        _pending.CopyTo(all, 0);
        bytes.CopyTo(all.AsSpan(_pending.Length));
        _pending = all;
        var status = FixFramer.TryFrame(all, out var frame);
        if (status == FixStatus.NeedMoreBytes)
        {
            if (all.Length > 65536) { _counters.Add(ref _counters.UnknownConnections); context.CloseAsync(); }
            return;
        }
        var session = status == FixStatus.Ok ? _route!(all.AsSpan(frame.Start, frame.Length)) : null;
        if (session is null)
        {
            _counters.Add(ref _counters.UnknownConnections);           // garbage or CompIDs no session here has
            context.CloseAsync();
            return;
        }
        if (session.State != FixSessionState.Disconnected)
        {
            _counters.Add(ref _counters.DuplicateConnections);         // the session is up on another connection
            context.CloseAsync();
            return;
        }
        _session = session;
        _pending = Array.Empty<byte>();
        session.Connected(_link!);
        session.Received(all);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        if (_link is not null) _session?.Disconnected(_link);
        base.ChannelInactive(context);
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        // A socket error ends this connection; the session sees it as a disconnect (the initiator reconnects).
        _counters.Add(ref _counters.ChannelErrors);
        context.CloseAsync();
    }
}
