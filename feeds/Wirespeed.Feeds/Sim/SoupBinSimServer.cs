using System;
using System.Net;
using System.Threading;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Wirespeed.Feeds.SoupBin;

namespace Wirespeed.Feeds.Sim;

/// <summary>Counters of a <see cref="SoupBinSimServer"/>, summed over its sessions (interlocked: sessions run on several I/O threads).</summary>
public sealed class SoupBinServerCounters
{
    public long Connections;
    public long LoginsAccepted;
    public long RejectedNotAuthorized;
    public long RejectedSessionNotAvailable;
    /// <summary>Login Request packets whose payload was malformed (the socket is closed).</summary>
    public long MalformedLogins;
    public long SequencedSent;
    public long ServerHeartbeatsSent;
    public long ClientHeartbeats;
    public long UnsequencedReceived;
    public long EndOfSessionSent;
    public long Logouts;
    /// <summary>Clients silent past the client timeout (socket closed).</summary>
    public long ClientTimeouts;
    /// <summary>Streams whose framing was lost, and packets not allowed in the session's state.</summary>
    public long BadPackets;
}

/// <summary>
/// The exchange side of SoupBinTCP 3.00 for the simulator: accepts logins with the configured credentials and session,
/// replays the store from the requested sequence number and then sends live messages as the simulator appends them, with
/// heartbeats and End of Session. Each login gets the message store <c>storeForLogin</c> returns: the shared stream for a
/// replay server, a fresh Glimpse-style snapshot for a snapshot server (<see cref="GlimpseSnapshotSource"/>).
/// </summary>
public sealed class SoupBinSimServer : IDisposable
{
    private readonly MultithreadEventLoopGroup _boss = new(1);
    private readonly MultithreadEventLoopGroup _workers = new(1);
    private readonly IChannel _listener;

    /// <summary>Binds and starts listening (start-up; throws when the port is taken).</summary>
    public SoupBinSimServer(SoupBinServerOptions options, Func<SimMessageStore> storeForLogin)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        ArgumentNullException.ThrowIfNull(storeForLogin);
        var bootstrap = new ServerBootstrap()
            .Group(_boss, _workers)
            .Channel<TcpServerSocketChannel>()
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new ActionChannelInitializer<ISocketChannel>(ch =>
                ch.Pipeline.AddLast(new SoupBinChannelHandler(new SoupBinServerSession(Options, storeForLogin, Counters)))));
        try
        {
            _listener = bootstrap.BindAsync(new IPEndPoint(IPAddress.Parse(Options.Address), Options.Port)).GetAwaiter().GetResult();
        }
        catch
        {
            Shutdown();
            throw;
        }
        Port = ((IPEndPoint)_listener.LocalAddress).Port;
    }

    /// <summary>A replay server over one shared store.</summary>
    public SoupBinSimServer(SoupBinServerOptions options, SimMessageStore store) : this(options, () => store) { }

    /// <summary>The validated options.</summary>
    public SoupBinServerOptions Options { get; }
    /// <summary>The port listened on (the chosen one when Port was 0).</summary>
    public int Port { get; }
    /// <summary>Counters over all sessions.</summary>
    public SoupBinServerCounters Counters { get; } = new();

    /// <summary>Stops listening and closes every session.</summary>
    public void Dispose()
    {
        _listener.CloseAsync().Wait(TimeSpan.FromSeconds(2));
        Shutdown();
    }

    private void Shutdown()
    {
        _workers.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1)).Wait(TimeSpan.FromSeconds(2));
        _boss.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1)).Wait(TimeSpan.FromSeconds(2));
    }

    internal static void Add(ref long counter) => Interlocked.Increment(ref counter);
}
