using System;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>What a SoupBinTCP endpoint (client or server session) does with its connection's events, on its I/O thread.</summary>
internal interface ISoupBinConnection
{
    void OnActive(IChannelHandlerContext context);
    void OnBytes(IChannelHandlerContext context, ReadOnlySpan<byte> bytes);
    void OnInactive(IChannelHandlerContext context);
    void OnError(IChannelHandlerContext context, Exception error);
}

/// <summary>
/// The DotNetty end of one connection: hands received bytes to the endpoint as a span over the buffer (no copy when
/// the buffer has a backing array, as DotNetty's pooled heap buffers do), then releases the buffer.
/// </summary>
internal sealed class SoupBinChannelHandler : ChannelHandlerAdapter
{
    private readonly ISoupBinConnection _owner;
    private byte[] _copy = [];   // only for a direct (array-less) buffer; grown once to the largest read

    public SoupBinChannelHandler(ISoupBinConnection owner) => _owner = owner;

    public override void ChannelActive(IChannelHandlerContext context) => _owner.OnActive(context);

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is not IByteBuffer buffer) return;
        try
        {
            int n = buffer.ReadableBytes;
            if (buffer.HasArray)
            {
                _owner.OnBytes(context, buffer.Array.AsSpan(buffer.ArrayOffset + buffer.ReaderIndex, n));
            }
            else
            {
                if (_copy.Length < n) _copy = new byte[n];
                buffer.GetBytes(buffer.ReaderIndex, _copy, 0, n);
                _owner.OnBytes(context, _copy.AsSpan(0, n));
            }
        }
        finally
        {
            buffer.Release();
        }
    }

    public override void ChannelInactive(IChannelHandlerContext context) => _owner.OnInactive(context);

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) => _owner.OnError(context, exception);

    /// <summary>Writes and flushes <paramref name="length"/> bytes of <paramref name="packet"/> (cold path: login,
    /// heartbeats, logout; the server's data).</summary>
    public static void Send(IChannelHandlerContext context, byte[] packet, int length)
    {
        var buffer = context.Allocator.Buffer(length);
        buffer.WriteBytes(packet, 0, length);
        context.WriteAndFlushAsync(buffer);
    }
}
