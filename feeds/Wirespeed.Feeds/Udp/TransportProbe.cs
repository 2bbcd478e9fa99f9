using System;
using System.IO;
using Wirespeed.Interop;

namespace Wirespeed.Feeds.Udp;

/// <summary>Which ingress a feed line uses (configuration: <c>transport = auto | xdp | uring | socket | recv</c>).</summary>
public enum TransportKind : byte
{
    /// <summary>The best that works on this host: AF_XDP, then io_uring, then sockets.</summary>
    Auto = 0,
    /// <summary>AF_XDP (libxdp): needs root or CAP_NET_RAW+NET_ADMIN+BPF+SYS_ADMIN and a real interface.</summary>
    Xdp = 1,
    /// <summary>io_uring multishot recvmsg (<see cref="UringUdpSource"/>).</summary>
    Uring = 2,
    /// <summary>recvmmsg sockets (<see cref="MmsgUdpSource"/>); <see cref="Recv"/> without the shim.</summary>
    Socket = 3,
    /// <summary>The plain socket, one datagram per call (<see cref="UdpSocketSource"/>): needs no native shim.</summary>
    Recv = 4,
}

/// <summary>What <see cref="TransportProbe.Choose"/> decided: the transport, whether it can run, and why.</summary>
public readonly record struct TransportChoice(TransportKind Kind, bool Usable, string Reason)
{
    public override string ToString() => $"transport={Kind.ToString().ToLowerInvariant()} ({Reason})";
}

/// <summary>
/// Cold path, at start-up: says which transport works here and why, so <c>auto</c> can pick and print its choice, and
/// an explicit choice that cannot work fails with the reason instead of at the first packet.
/// </summary>
public static class TransportProbe
{
    /// <summary>0 when io_uring with a provided-buffer ring works here, else a negative WS_E* code; always a reason.</summary>
    public static int ProbeUring(out string reason)
    {
        if (!NativeLibraryResolver.IsAvailable(out string shim))
        {
            reason = "native shim unavailable: " + shim;
            return NativeError.NotSupported;
        }
        int rc = Native.UringProbe();
        reason = rc == 0 ? "io_uring with a provided-buffer ring works on this kernel"
            : $"io_uring refused: {NativeError.Describe(rc)} (kernel < 5.19, io_uring_disabled sysctl, or a seccomp filter)";
        return rc;
    }

    /// <summary>True when AF_XDP can be attached to <paramref name="interfaceName"/> here; always a reason.</summary>
    public static bool ProbeXdp(string? interfaceName, out string reason)
    {
        if (string.IsNullOrEmpty(interfaceName))
        {
            reason = "no interface name configured (AF_XDP binds a network device, not an address)";
            return false;
        }
        if (interfaceName == "lo")
        {
            reason = "AF_XDP on loopback sees no multicast from local senders; use a NIC or a veth pair";
            return false;
        }
        if (!Directory.Exists("/sys/class/net/" + interfaceName))
        {
            reason = $"interface {interfaceName} does not exist (see 'ip link')";
            return false;
        }
        if (!Environment.IsPrivilegedProcess)
        {
            reason = "AF_XDP needs root (or CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF and CAP_SYS_ADMIN, and libxdp still wants /run/xdp)";
            return false;
        }
        if (!NativeLibraryResolver.IsAvailable(out string shim))
        {
            reason = "native shim unavailable: " + shim;
            return false;
        }
        return XdpSupport.Probe(interfaceName, out reason);
    }

    /// <summary>
    /// Resolves <paramref name="requested"/> for a line on <paramref name="interfaceName"/> (an interface name for
    /// AF_XDP; may be null). Auto picks AF_XDP, then io_uring, then sockets, and names every refusal in the reason.
    /// An explicit request that cannot work comes back with <see cref="TransportChoice.Usable"/> false.
    /// </summary>
    public static TransportChoice Choose(TransportKind requested, string? interfaceName = null)
    {
        switch (requested)
        {
            case TransportKind.Xdp:
                return new TransportChoice(TransportKind.Xdp, ProbeXdp(interfaceName, out string x), x);
            case TransportKind.Uring:
                return new TransportChoice(TransportKind.Uring, ProbeUring(out string u) == 0, u);
            case TransportKind.Socket:
                return new TransportChoice(TransportKind.Socket, true, SocketReason());
            case TransportKind.Recv:
                return new TransportChoice(TransportKind.Recv, true, "recv: plain socket, one datagram per call (configured)");
            default:
                if (ProbeXdp(interfaceName, out string whyNotXdp)) return new TransportChoice(TransportKind.Xdp, true, "auto: " + whyNotXdp);
                if (ProbeUring(out string whyNotUring) == 0)
                    return new TransportChoice(TransportKind.Uring, true, $"auto: {whyNotUring}; not xdp: {whyNotXdp}");
                return new TransportChoice(TransportKind.Socket, true, $"auto: {SocketReason()}; not xdp: {whyNotXdp}; not uring: {whyNotUring}");
        }
    }

    private static string SocketReason() => NativeLibraryResolver.IsAvailable(out _)
        ? "recvmmsg sockets work everywhere"
        : "recv() per datagram (UdpSocketSource): the native shim is unavailable";
}
