using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Wirespeed.Feeds.Fix.Session.Tcp;

/// <summary>
/// Several FIX sessions in one process over TCP with DotNetty: acceptors listen (one listener per port, any number of
/// sessions behind it, told apart by the CompIDs of their Logon), initiators connect and reconnect with exponential
/// back-off inside their schedule, and one timer drives every session's heartbeats and timeouts. Cold path: sessions
/// run on DotNetty's event-loop threads; nothing here touches a hot thread.
/// </summary>
public sealed class FixEngine : IAsyncDisposable
{
    private readonly List<FixSession> _sessions = new();
    private readonly Dictionary<int, Dictionary<(string, string), FixSession>> _byPort = new();
    private readonly List<IChannel> _listeners = new();
    private readonly List<Task> _connectors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly int _tickMs;
    private MultithreadEventLoopGroup? _group;
    private Timer? _timer;

    /// <param name="tickMs">How often the timers of every session run, ms. Default: 100.</param>
    public FixEngine(int tickMs = 100)
    {
        if (tickMs is < 1 or > 10_000) throw new FixSessionConfigException($"FIX engine: tickMs {tickMs} must be within 1..10000 ms, e.g. 100.");
        _tickMs = tickMs;
    }

    public IReadOnlyList<FixSession> Sessions => _sessions;
    public FixEngineCounters Counters { get; } = new();

    /// <summary>Adds a session before <see cref="StartAsync"/>; its store is a file under StoreDirectory, else memory.</summary>
    public FixSession Add(FixSessionOptions options, IFixApplication? application = null, IFixClock? clock = null)
    {
        options = options.Validated();
        if (_group is not null) throw new InvalidOperationException("add sessions before StartAsync");
        foreach (var s in _sessions)
            if (s.Options.SenderCompId == options.SenderCompId && s.Options.TargetCompId == options.TargetCompId)
                throw new FixSessionConfigException($"FIX session {options.Name}: SenderCompId/TargetCompId pair configured twice; each session needs its own pair.");
        IFixMessageStore store = options.StoreDirectory is null
            ? new FixMemoryStore()
            : new FixFileStore(Path.Combine(options.StoreDirectory, $"{options.SenderCompId}-{options.TargetCompId}.fixstore"), options.StoreSync);
        var session = new FixSession(options, store, application, clock);
        _sessions.Add(session);
        if (options.Role == FixSessionRole.Acceptor)
        {
            if (!_byPort.TryGetValue(options.Port, out var map)) _byPort[options.Port] = map = new();
            map[(options.TargetCompId, options.SenderCompId)] = session;   // keyed by what the counterparty writes: 49, 56
        }
        return session;
    }

    /// <summary>Binds every acceptor port on loopback-or-any as configured, starts initiators and the timer.</summary>
    public async Task StartAsync(IPAddress? listenAddress = null)
    {
        _group = new MultithreadEventLoopGroup(1);
        foreach (var (port, map) in _byPort)
        {
            var routes = map;
            var server = new ServerBootstrap()
                .Group(_group, _group)
                .Channel<TcpServerSocketChannel>()
                .Option(ChannelOption.SoReuseaddr, true)
                .ChildOption(ChannelOption.TcpNodelay, true)
                .ChildHandler(new ActionChannelInitializer<ISocketChannel>(ch =>
                    ch.Pipeline.AddLast(new FixChannelHandler(first => Route(routes, first), Counters))));
            _listeners.Add(await server.BindAsync(listenAddress ?? IPAddress.Loopback, port).ConfigureAwait(false));
        }
        foreach (var s in _sessions)
            if (s.Options.Role == FixSessionRole.Initiator) _connectors.Add(Task.Run(() => ConnectLoop(s, _stop.Token)));
        _timer = new Timer(_ => Tick(), null, _tickMs, _tickMs);
    }

    private void Tick()
    {
        foreach (var s in _sessions)
        {
            try { s.Tick(); }
            catch (Exception) { Counters.Add(ref Counters.ChannelErrors); }
        }
    }

    private static FixSession? Route(Dictionary<(string, string), FixSession> routes, ReadOnlySpan<byte> first)
    {
        string sender = RawField(first, 49), target = RawField(first, 56);
        return routes.TryGetValue((sender, target), out var s) ? s : null;
    }

    private static string RawField(ReadOnlySpan<byte> m, int tag)
    {
        Span<byte> key = stackalloc byte[12];
        key[0] = FixFramer.Soh;
        System.Buffers.Text.Utf8Formatter.TryFormat(tag, key.Slice(1), out int n);
        key[n + 1] = (byte)'=';
        int at = m.IndexOf(key.Slice(0, n + 2));
        if (at < 0) return "";
        var rest = m.Slice(at + n + 2);
        int end = rest.IndexOf(FixFramer.Soh);
        return end < 0 ? "" : System.Text.Encoding.ASCII.GetString(rest.Slice(0, end));
    }

    /// <summary>Connects, waits for the connection to end, and tries again after a delay that doubles on each
    /// failure (from ReconnectMinMs to ReconnectMaxMs) and starts over after a connection that logged on.</summary>
    private async Task ConnectLoop(FixSession session, CancellationToken stop)
    {
        var o = session.Options;
        int delay = o.ReconnectMinMs;
        while (!stop.IsCancellationRequested)
        {
            if (!o.Schedule.IsActive(DateTime.UtcNow))
            {
                await Sleep(Math.Min(1000, o.ReconnectMaxMs), stop).ConfigureAwait(false);
                continue;
            }
            long logonsBefore = Interlocked.Read(ref session.Counters.LogonsReceived);
            Counters.Add(ref Counters.ConnectAttempts);
            IChannel? channel = null;
            try
            {
                var bootstrap = new Bootstrap()
                    .Group(_group!)
                    .Channel<TcpSocketChannel>()
                    .Option(ChannelOption.TcpNodelay, true)
                    .Option(ChannelOption.ConnectTimeout, TimeSpan.FromSeconds(5))
                    .Handler(new ActionChannelInitializer<ISocketChannel>(ch => ch.Pipeline.AddLast(new FixChannelHandler(session, Counters))));
                channel = await bootstrap.ConnectAsync(new IPEndPoint(Resolve(o.Host), o.Port)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                Counters.Add(ref Counters.ConnectFailures);
            }
            if (channel is not null)
            {
                try { await Task.WhenAny(channel.CloseCompletion, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
                if (stop.IsCancellationRequested) break;
                if (Interlocked.Read(ref session.Counters.LogonsReceived) > logonsBefore) delay = o.ReconnectMinMs;
            }
            await Sleep(delay, stop).ConfigureAwait(false);
            delay = (int)Math.Min((long)delay * 2, o.ReconnectMaxMs);
        }
    }

    private static IPAddress Resolve(string host) =>
        IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];

    private static async Task Sleep(int ms, CancellationToken stop)
    {
        try { await Task.Delay(ms, stop).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Logs every session out (waiting up to <paramref name="logoutWaitMs"/> for the answers), closes the
    /// listeners and the event loop, and closes the stores.</summary>
    public async Task StopAsync(int logoutWaitMs = 1000)
    {
        _stop.Cancel();
        foreach (var s in _sessions) s.Logout("engine stopping");
        var deadline = Environment.TickCount64 + logoutWaitMs;
        while (Environment.TickCount64 < deadline)
        {
            bool any = false;
            foreach (var s in _sessions) any |= s.State != FixSessionState.Disconnected;
            if (!any) break;
            await Task.Delay(20).ConfigureAwait(false);
        }
        _timer?.Dispose();
        foreach (var l in _listeners) await l.CloseAsync().ConfigureAwait(false);
        try { await Task.WhenAll(_connectors).ConfigureAwait(false); } catch (Exception) { }
        if (_group is not null) await _group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        foreach (var s in _sessions) s.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync(200).ConfigureAwait(false);
    }
}
