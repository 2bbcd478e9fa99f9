using System;
using System.Collections.Generic;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Feeds.Aeron;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop.Abi;
using Wirespeed.Core.Agents;
using Wirespeed.Hosting.Detection;
using Wirespeed.Hosting.Platform;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// The packet sources of the feed lines as configured (<c>lines[].transport</c>): AF_XDP, io_uring, recvmmsg sockets or a
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
    private readonly IDisposable[] _owners;
    private readonly Func<TimeSpan, string?>[] _waitOpened;
    private readonly Arena?[] _arenas;
    private readonly LineRecovery _recovery;

    private LineTransport(TransportKind kind, string reason, FeedHost host, IDisposable[] owners, Func<TimeSpan, string?>[] waitOpened, Arena?[] arenas,
        LineRecovery recovery)
    {
        Kind = kind;
        Reason = reason;
        Host = host;
        _owners = owners;
        _waitOpened = waitOpened;
        _arenas = arenas;
        _recovery = recovery;
    }

    /// <summary>Side B, the arbiter and the re-request client of each line that has them (LineRecovery.cs).</summary>
    public LineRecovery Recovery => _recovery;

    public TransportKind Kind { get; }
    /// <summary>The transport's configuration name: auto's choice, or the one configured (xdp, uring, socket, recv).</summary>
    public string Name => TransportNames.Of(Kind);
    public string Reason { get; }
    public FeedHost Host { get; }

    /// <summary>Chooses, reserves and builds (cold path): one source per configured line, all of one transport. Throws <see cref="ConfigException"/> when the configured transport cannot work.</summary>
    public static LineTransport Create(ResolvedConfig resolved, MemoryRegistry registry, bool measureOneWay, long midnightEpochNs)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var config = resolved.Config;
        var line = config.Lines[0];
        var udp = new UdpOptions[config.Lines.Count];
        int maxDatagram = 0;
        for (int i = 0; i < udp.Length; i++)
        {
            udp[i] = resolved.Sockets[i];   // mapped and validated with the file (ConfigValidator.Resolve)
            maxDatagram = Math.Max(maxDatagram, udp[i].MaxDatagramBytes);
        }
        var b = new Builder(resolved, registry, measureOneWay, midnightEpochNs, maxDatagram);
        var arenaOptions = new ArenaOptions { HugePages = config.Memory.HugePages, Lock = config.Memory.Lock, Prefault = config.Memory.Prefault };
        if (line.Transport == TransportKind.Aeron)
        {
            // Issue 13: each Aeron message of the line's subscription is one MoldUDP64 packet (validated: aeronPayload mold).
            var aeron = new AeronSubscriptionOptions[config.Lines.Count];
            for (int i = 0; i < aeron.Length; i++) aeron[i] = config.Lines[i].ToAeronOptions();
            // Build opens a source from the line's socket options; an aeron line has no side B (the validator refuses
            // one), so the options are always one of resolved.Sockets, and their position names the line.
            return b.Build(TransportKind.Aeron, "configured: Aeron UDP, one MoldUDP64 packet per Aeron message",
                (i, side) => Arena.Create("arena.aeron." + config.Lines[i].Name + side, arenaOptions with { SizeBytes = AeronPacketSource.ArenaBytes(aeron[i]) + Arena.MaxAlignment }, registry),
                (o, arena) =>
                {
                    int i = LineOf(resolved, o);
                    return new AeronPacketSource(aeron[i], arena!, (byte)config.Lines[i].Id);
                });
        }

        // AF_XDP serves one line per process (an XDP socket owns its device queue; the validator rejects xdp on several
        // lines): with several lines auto is offered no device, so it falls back to io_uring or sockets.
        string? device = config.Lines.Count > 1 || line.Device.Length == 0 ? null : line.Device;
        TransportChoice choice = TransportProbe.Choose(line.Transport, device);
        if (!choice.Usable)
            throw new ConfigException("lines[0].transport", $"'{TransportNames.Of(line.Transport)}' cannot run here: {choice.Reason}. Use transport 'auto' to fall back, or fix the cause.");
        // The plain socket: configured, or the only one that works without the native shim.
        if (choice.Kind == TransportKind.Recv || (choice.Kind == TransportKind.Socket && !Interop.NativeLibraryResolver.IsAvailable(out _)))
            return b.Build(TransportKind.Recv, choice.Reason, (_, _) => null, (o, _) => new UdpSocketSource(o));

        switch (choice.Kind)
        {
            case TransportKind.Xdp:
            {
                var xdp = new XdpOptions { InterfaceName = line.Device, Mode = line.XdpMode }.Validated();
                return b.Build(TransportKind.Xdp, choice.Reason,
                    (i, side) => Arena.Create("arena.xdp." + config.Lines[i].Name + side, arenaOptions with { SizeBytes = XdpUdpSource.ArenaBytes(xdp) }, registry),
                    (o, arena) => new XdpUdpSource(o, xdp, arena!));
            }
            case TransportKind.Uring:
            {
                var uring = new UringOptions
                {
                    Setup = line.UringSetup,
                    SqPollCpu = line.SqPollCpu,
                }.Validated();
                return b.Build(TransportKind.Uring, choice.Reason,
                    (i, side) => Arena.Create("arena.uring." + config.Lines[i].Name + side, arenaOptions with { SizeBytes = UringUdpSource.ArenaBytes(udp[i], uring) + Arena.MaxAlignment }, registry),
                    (o, arena) => new UringUdpSource(o, uring, arena!));
            }
            default:
                return b.Build(TransportKind.Socket, choice.Reason,
                    (i, side) => Arena.Create("arena.mmsg." + config.Lines[i].Name + side, arenaOptions with { SizeBytes = MmsgUdpSource.ArenaBytes(udp[i]) + Arena.MaxAlignment }, registry),
                    (o, arena) => new MmsgUdpSource(o, arena!));
        }
    }

    private static int LineOf(ResolvedConfig resolved, UdpOptions socket)
    {
        for (int i = 0; i < resolved.Sockets.Count; i++)
            if (ReferenceEquals(resolved.Sockets[i], socket)) return i;
        throw new InvalidOperationException("socket options of no configured line");   // side B of an aeron line: refused by the validator
    }

    /// <summary>
    /// Builds one source per line (opened later, by the worker) and the host over them; a line with a side B or a
    /// re-request server gets a second source and its arbiter (<see cref="LineRecovery"/>). Build's arenaFor takes the
    /// line index and the side's suffix for the memory account ("" for A, ".b" for B).
    /// </summary>
    private sealed class Builder(ResolvedConfig resolved, MemoryRegistry registry, bool measureOneWay, long midnightEpochNs, int maxDatagram)
    {
        public LineTransport Build<T>(TransportKind kind, string reason, Func<int, string, Arena?> arenaFor, Func<UdpOptions, Arena?, T> open)
            where T : class, IPacketSource, IDisposable
        {
            int n = resolved.Config.Lines.Count;
            var arenas = new Arena?[2 * n];
            var owners = new WorkerOwned<T>?[2 * n];   // side A of line i at i, side B at n + i
            var packets = new ArbitratedPackets<LazyPackets<T>>[n];
            LineRecovery? recovery = null;
            try
            {
                recovery = LineRecovery.Create(resolved.Config);
                for (int i = 0; i < n; i++)
                {
                    int line = i;
                    arenas[i] = arenaFor(i, "");
                    owners[i] = new WorkerOwned<T>(() => open(resolved.Sockets[line], arenas[line]));
                    var a = new LazyPackets<T>(owners[i]!);
                    if (recovery.Lines[i] is not { } arbitrated)
                    {
                        packets[i] = new ArbitratedPackets<LazyPackets<T>>(a);
                        continue;
                    }
                    var b = default(LazyPackets<T>);
                    if (arbitrated.HasB)
                    {
                        arenas[n + i] = arenaFor(i, ".b");
                        var socketB = resolved.Config.Lines[i].ToUdpOptionsB();
                        owners[n + i] = new WorkerOwned<T>(() => open(socketB, arenas[n + line]));
                        b = new LazyPackets<T>(owners[n + i]!);
                    }
                    packets[i] = new ArbitratedPackets<LazyPackets<T>>(a, b, arbitrated);
                }
                var host = FeedHost.Create(resolved, registry, packets, maxDatagram, measureOneWay, midnightEpochNs, static _ => default(NoSignalCallback));
                var opened = Array.FindAll(owners, o => o is not null);
                return new LineTransport(kind, reason, host, opened!, Array.ConvertAll(opened, o => (Func<TimeSpan, string?>)o!.WaitOpened), arenas, recovery);
            }
            catch
            {
                foreach (var o in owners) o?.Dispose();
                foreach (var a in arenas) a?.Dispose();
                recovery?.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Starts the workers and waits until the receiving worker has opened the transport (the group is joined once this
    /// returns), then notes each line's granted receive buffer, and warns when root is not needed. Throws
    /// <see cref="ConfigException"/> (lines[i].transport) with the reason when the transport could not open; an AF_XDP
    /// failure names what this process lacks (capabilities, locked-memory limit, /run/xdp).
    /// </summary>
    public void Start(TimeSpan timeout)
    {
        _recovery.Start();   // the re-request clients' threads: before the worker can hand them a gap
        Host.Start();
        int lines = Host.Lines.Count;
        for (int k = 0; k < _waitOpened.Length; k++)
        {
            string? failure = _waitOpened[k](timeout);
            if (failure is null) continue;
            Host.Stop();
            if (Kind == TransportKind.Xdp) failure += TransportProbe.XdpOpenHint();
            int i = _recovery.LineOfSource(k, lines);
            bool sideB = k >= lines;
            throw new ConfigException(sideB ? $"lines[{i}].b.transport" : $"lines[{i}].transport",
                $"transport {Name} could not open" + (_waitOpened.Length > 1 ? $" for line {Host.Lines[i].Config.Name}{(sideB ? " side B" : "")}" : "") + $": {failure}");
        }
        if (PrivilegeReport.RootWithoutNeed(Kind, Environment.IsPrivilegedProcess) is { } root) Host.Notes.Add(root);
        long rmemMax = PrivilegeReport.ReadRmemMax();
        bool canForce = PrivilegeReport.CanForceReceiveBuffer();
        for (int k = 0; k < _owners.Length; k++)
        {
            int i = _recovery.LineOfSource(k, lines);
            string name = Host.Lines[i].Config.Name + (k >= lines ? " side B" : "");
            if (ReceiveBufferOf(_owners[k]) is var (requested, reported))
                Host.Notes.Add(PrivilegeReport.ReceiveBuffer(name, requested, reported, rmemMax, canForce));
            else if (_owners[k] is WorkerOwned<XdpUdpSource> { Source: { } x })
                Host.Notes.Add($"line {name}: no socket receive buffer (AF_XDP): frames wait in the UMEM, {x.Xdp.FrameCount:N0} frames of {x.Xdp.FrameSize} B on each of {x.Queues.Length} queue(s)");
        }
        Host.Notes.AddRange(_recovery.Describe());
    }

    /// <summary>The receive buffer asked for and SO_RCVBUF as read back, or null for AF_XDP (frames wait in its fill ring).</summary>
    private static (int Requested, int Reported)? ReceiveBufferOf(IDisposable owner) => owner switch
    {
        WorkerOwned<UringUdpSource> { Source: { } u } => (u.Options.ReceiveBufferBytes, u.GrantedReceiveBufferBytes),
        WorkerOwned<MmsgUdpSource> { Source: { } m } => (m.Options.ReceiveBufferBytes, m.GrantedReceiveBufferBytes),
        WorkerOwned<UdpSocketSource> { Source: { } r } => (r.Options.ReceiveBufferBytes, r.GrantedReceiveBufferBytes),
        _ => null,
    };

    /// <summary>
    /// The receive path's own counters for the summary's "transport" section (cold path; call after the workers stopped,
    /// before Dispose): datagrams and bytes delivered, truncated, receive errors, and for the native paths the shim's
    /// system calls in poll, multishot re-arms and dry-buffer-ring completions (io_uring) or rejected frames (AF_XDP).
    /// Summed over the lines; empty when the worker never opened a source.
    /// </summary>
    public Dictionary<string, long> Counters()
    {
        var d = new Dictionary<string, long>();
        foreach (var owner in _owners)
            foreach (var (key, value) in CountersOf(owner))
                d[key] = d.GetValueOrDefault(key) + value;
        return d;
    }

    private static Dictionary<string, long> CountersOf(IDisposable owner)
    {
        var d = new Dictionary<string, long>();
        switch (owner)
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
            case WorkerOwned<AeronPacketSource> { Source: { } a }:
                d["packets"] = a.Packets;
                d["bytes"] = a.Bytes;
                d["aeron_images"] = a.Subscription.ImagesCreated;
                d["aeron_naks_sent"] = a.Subscription.NaksSent;
                d["aeron_gaps_filled"] = a.Subscription.GapsFilled;
                d["aeron_frames_rejected"] = a.Subscription.Rejects.Total - a.Subscription.Rejects.Duplicate;
                d["receive_errors"] = a.Subscription.ReceiveErrors;
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
        _recovery.Dispose();   // the re-request clients: after the worker that fed them is gone
        foreach (var o in _owners) o.Dispose();
        foreach (var a in _arenas) a?.Dispose();   // after the sources: the kernel may hold buffers until a socket closes
    }
}
