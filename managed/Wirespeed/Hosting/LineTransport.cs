using System;
using System.Collections.Generic;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Hosting;

/// <summary>
/// The packet source of a feed line as configured (<c>lines[].transport</c>): AF_XDP, io_uring, recvmmsg sockets or a
/// plain socket, chosen at start-up with the reason said, and a <see cref="FeedHost"/> built over it. Every transport
/// delivers through the same polling contract, so the rest of the pipeline cannot tell them apart.
/// </summary>
/// <remarks>
/// io_uring (SINGLE_ISSUER) and AF_XDP sockets belong to the thread that opens them, so the source is opened by the
/// worker on its first poll (<see cref="WorkerOwned{T}"/>); the command waits for that and fails start-up with the
/// reason when it cannot. Buffers come from an arena reserved here, before the run.
/// </remarks>
public sealed class LineTransport : IDisposable
{
    private readonly IDisposable _owner;
    private readonly Func<TimeSpan, string?> _waitOpened;
    private readonly Arena? _arena;

    private LineTransport(TransportKind kind, string reason, FeedHost host, IDisposable owner, Func<TimeSpan, string?> waitOpened,
        Arena? arena, UdpOptions udp)
    {
        Kind = kind;
        Reason = reason;
        Host = host;
        _owner = owner;
        _waitOpened = waitOpened;
        _arena = arena;
        Udp = udp;
    }

    public TransportKind Kind { get; }
    /// <summary>"recv" when the plain socket was configured (<see cref="TransportKind"/> has no member for it).</summary>
    public string Name => Kind == TransportKind.Socket && _owner is WorkerOwned<UdpSocketSource> ? "recv" : Kind.ToString().ToLowerInvariant();
    public string Reason { get; }
    public FeedHost Host { get; }
    public UdpOptions Udp { get; }

    /// <summary>Chooses, reserves and builds (cold path). Throws <see cref="ConfigException"/> when the configured transport cannot work.</summary>
    public static LineTransport Create(WirespeedConfig config, MemoryRegistry registry, bool measureOneWay, long midnightEpochNs)
    {
        var line = config.Lines[0];
        var udp = new UdpOptions
        {
            Group = line.Group, Port = line.Port, Interface = line.Interface, ReceiveBufferBytes = line.ReceiveBufferBytes,
            LineId = (byte)line.Id, MaxDatagramBytes = line.MaxDatagramBytes,
        }.Validated();
        int maxDatagram = udp.MaxDatagramBytes;

        if (line.Transport == "recv")
        {
            var owner = new WorkerOwned<UdpSocketSource>(() => new UdpSocketSource(udp));
            var host = FeedHost.Create(config, registry, new LazyPackets<UdpSocketSource>(owner), maxDatagram, measureOneWay, midnightEpochNs);
            return new LineTransport(TransportKind.Socket, "recv: plain socket, one datagram per call (configured)", host, owner, owner.WaitOpened, null, udp);
        }

        var requested = line.Transport switch
        {
            "xdp" => TransportKind.Xdp,
            "uring" => TransportKind.Uring,
            "socket" => TransportKind.Socket,
            _ => TransportKind.Auto,
        };
        TransportChoice choice = TransportProbe.Choose(requested, line.Device.Length == 0 ? null : line.Device);
        if (!choice.Usable)
            throw new ConfigException("lines[0].transport", $"'{line.Transport}' cannot run here: {choice.Reason}. Use transport 'auto' to fall back, or fix the cause.");
        // Without the native shim only the plain socket works (UdpSocketSource).
        if (choice.Kind == TransportKind.Socket && !Interop.NativeLibraryResolver.IsAvailable(out _))
        {
            var owner = new WorkerOwned<UdpSocketSource>(() => new UdpSocketSource(udp));
            var host = FeedHost.Create(config, registry, new LazyPackets<UdpSocketSource>(owner), maxDatagram, measureOneWay, midnightEpochNs);
            return new LineTransport(TransportKind.Socket, choice.Reason, host, owner, owner.WaitOpened, null, udp);
        }

        var arenaOptions = new ArenaOptions { HugePages = config.Memory.HugePages, Lock = config.Memory.Lock, Prefault = config.Memory.Prefault };
        switch (choice.Kind)
        {
            case TransportKind.Xdp:
            {
                var xdp = new XdpOptions { InterfaceName = line.Device, Mode = line.XdpMode == "skb" ? XdpMode.Skb : XdpMode.Drv }.Validated();
                var arena = Arena.Create("arena.xdp." + line.Name, arenaOptions with { SizeBytes = XdpUdpSource.ArenaBytes(xdp) }, registry);
                var owner = new WorkerOwned<XdpUdpSource>(() => new XdpUdpSource(udp, xdp, arena));
                var host = FeedHost.Create(config, registry, new LazyPackets<XdpUdpSource>(owner), maxDatagram, measureOneWay, midnightEpochNs);
                return new LineTransport(TransportKind.Xdp, choice.Reason, host, owner, owner.WaitOpened, arena, udp);
            }
            case TransportKind.Uring:
            {
                var uring = new UringOptions
                {
                    Setup = line.UringSetup switch { "sqpoll" => UringSetupFlags.SqPoll, "coop" => UringSetupFlags.CoopTaskRun, _ => UringSetupFlags.DeferTaskRun },
                    SqPollCpu = line.SqPollCpu,
                }.Validated();
                var arena = Arena.Create("arena.uring." + line.Name, arenaOptions with { SizeBytes = UringUdpSource.ArenaBytes(udp, uring) + Arena.MaxAlignment }, registry);
                var owner = new WorkerOwned<UringUdpSource>(() => new UringUdpSource(udp, uring, arena));
                var host = FeedHost.Create(config, registry, new LazyPackets<UringUdpSource>(owner), maxDatagram, measureOneWay, midnightEpochNs);
                return new LineTransport(TransportKind.Uring, choice.Reason, host, owner, owner.WaitOpened, arena, udp);
            }
            default:
            {
                var arena = Arena.Create("arena.mmsg." + line.Name, arenaOptions with { SizeBytes = MmsgUdpSource.ArenaBytes(udp) + Arena.MaxAlignment }, registry);
                var owner = new WorkerOwned<MmsgUdpSource>(() => new MmsgUdpSource(udp, arena));
                var host = FeedHost.Create(config, registry, new LazyPackets<MmsgUdpSource>(owner), maxDatagram, measureOneWay, midnightEpochNs);
                return new LineTransport(TransportKind.Socket, choice.Reason, host, owner, owner.WaitOpened, arena, udp);
            }
        }
    }

    /// <summary>
    /// Starts the workers and waits until the receiving worker has opened the transport (the group is joined once this
    /// returns). Throws <see cref="InvalidOperationException"/> with the reason when it could not.
    /// </summary>
    public void Start(TimeSpan timeout)
    {
        Host.Start();
        string? failure = _waitOpened(timeout);
        if (failure is not null)
        {
            Host.Stop();
            throw new InvalidOperationException($"transport {Name} could not open: {failure}");
        }
    }

    /// <summary>
    /// The receive path's own counters for the summary's "transport" section (cold path; call after the workers stopped,
    /// before Dispose): datagrams and bytes delivered, truncated, receive errors, and for the native paths the shim's
    /// system calls in poll, multishot re-arms and dry-buffer-ring completions (io_uring) or rejected frames (AF_XDP).
    /// Empty when the worker never opened the source.
    /// </summary>
    public Dictionary<string, long> Counters()
    {
        var d = new Dictionary<string, long>();
        switch (_owner)
        {
            case WorkerOwned<UringUdpSource> { Source: { } u }:
                Add(d, u.Counters, u.NativeStats);
                d["rearms"] = (long)u.NativeStats.Rearms;
                d["no_buffers"] = (long)u.NativeStats.NoBuffers;
                break;
            case WorkerOwned<MmsgUdpSource> { Source: { } m }:
                Add(d, m.Counters, m.NativeStats);
                break;
            case WorkerOwned<XdpUdpSource> { Source: { } x }:
                d["packets"] = x.Packets;
                d["bytes"] = x.Bytes;
                d["receive_errors"] = x.ReceiveErrors;
                d["system_calls"] = (long)x.NativeStats.Enters;
                d["frames_rejected"] = x.Frames.Rejected;
                d["frames_not_our_destination"] = x.Frames[FrameStatus.NotOurDestination];
                break;
            case WorkerOwned<UdpSocketSource> { Source: { } r }:
                d["packets"] = r.Packets;
                d["bytes"] = r.Bytes;
                d["truncated"] = r.Truncated;
                d["receive_errors"] = r.ReceiveErrors;
                break;
        }
        return d;
    }

    private static void Add(Dictionary<string, long> d, ReceiverCounters c, RxStats native)
    {
        d["packets"] = c.Packets;
        d["bytes"] = c.Bytes;
        d["truncated"] = c.Truncated;
        d["receive_errors"] = c.ReceiveErrors;
        d["system_calls"] = (long)native.Enters;
    }

    /// <summary>After the workers stopped: closes the source, then frees its buffers.</summary>
    public void Dispose()
    {
        Host.Dispose();
        _owner.Dispose();
        _arena?.Dispose();   // after the source: the kernel may hold buffers until the socket closes
    }
}

/// <summary>A source opened lazily by the thread that polls it first (the worker), closed by whoever disposes it after.</summary>
public sealed class WorkerOwned<T> : IDisposable where T : class, IPacketSource, IDisposable
{
    private readonly Func<T> _open;
    private readonly ManualResetEventSlim _opened = new(false);
    private string? _failure;
    private T? _source;

    public WorkerOwned(Func<T> open) => _open = open;

    /// <summary>The open source, or null before the first poll (or after a failed open).</summary>
    public T? Source => Volatile.Read(ref _source);

    /// <summary>Worker thread, first poll only: opens the source; a failure is kept for <see cref="WaitOpened"/>.</summary>
    public T? OpenOnWorker()
    {
        if (_opened.IsSet) return _source;
        try { Volatile.Write(ref _source, _open()); }      // release; pairs with Volatile.Read in Source
        catch (Exception e) { _failure = e.Message; }
        _opened.Set();
        return _source;
    }

    /// <summary>Any thread: waits for the first poll; null when the source opened, else why not.</summary>
    public string? WaitOpened(TimeSpan timeout)
        => _opened.Wait(timeout) ? _failure : $"the worker did not poll within {timeout.TotalSeconds:0} s";

    public void Dispose()
    {
        Interlocked.Exchange(ref _source, null)?.Dispose();
        _opened.Dispose();
    }
}

/// <summary>The struct face of a <see cref="WorkerOwned{T}"/> source: one null check per poll after the first.</summary>
public readonly struct LazyPackets<T> : IPacketSource where T : class, IPacketSource, IDisposable
{
    private readonly WorkerOwned<T> _owner;

    public LazyPackets(WorkerOwned<T> owner) => _owner = owner;

    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        T? source = _owner.Source ?? _owner.OpenOnWorker();
        return source is null ? 0 : source.Poll(ref handler, limit);
    }
}
