using System;
using System.IO;
using Wirespeed.Interop;

namespace Wirespeed.Feeds.Udp;

/// <summary>Which ingress a feed line uses (configuration: <c>transport = auto | xdp | uring | socket | recv | aeron</c>).</summary>
public enum TransportKind : byte
{
    /// <summary>The best that works on this host: AF_XDP, then io_uring, then sockets.</summary>
    Auto = 0,
    /// <summary>AF_XDP (libxdp): needs CAP_NET_RAW+NET_ADMIN+BPF+SYS_ADMIN (root has them) and a real interface.</summary>
    Xdp = 1,
    /// <summary>io_uring multishot recvmsg (<see cref="UringUdpSource"/>).</summary>
    Uring = 2,
    /// <summary>recvmmsg sockets (<see cref="MmsgUdpSource"/>); <see cref="Recv"/> without the shim.</summary>
    Socket = 3,
    /// <summary>The plain socket, one datagram per call (<see cref="UdpSocketSource"/>): needs no native shim.</summary>
    Recv = 4,
    /// <summary>Aeron UDP (Feeds/Aeron AeronPacketSource): each Aeron message is one packet; chosen only by name, never by auto.</summary>
    Aeron = 5,
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

    /// <summary>What attaching an XDP program and opening AF_XDP sockets take: these capabilities, not a user id of 0.</summary>
    internal static ReadOnlySpan<Capability> XdpCapabilities => s_xdpCapabilities;
    private static readonly Capability[] s_xdpCapabilities = [Capability.NetRaw, Capability.NetAdmin, Capability.Bpf, Capability.SysAdmin];

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
        // The capabilities, not the user id: a dedicated user with these four (deploy/systemd/wirespeed-afxdp.conf) works.
        var missing = ProcessCapabilities.Missing(XdpCapabilities);
        if (missing.Count != 0)
        {
            reason = $"AF_XDP needs CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF and CAP_SYS_ADMIN; this process lacks {string.Join(", ", missing)} " +
                     "(grant them with the unit's drop-in deploy/systemd/wirespeed-afxdp.conf, or setpriv/capsh; root has them all)";
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
    /// What to add to an AF_XDP open failure: the capabilities this process lacks; or, holding them, the locked-memory
    /// limit when it is finite and CAP_IPC_LOCK is not held (the kernel charges the UMEM to RLIMIT_MEMLOCK and refuses
    /// XDP_UMEM_REG with ENOBUFS beyond it), and libxdp's /run/xdp when this process cannot write it (the program then
    /// stays attached at exit; the next start detaches it). Empty when none applies.
    /// </summary>
    public static string XdpOpenHint()
    {
        var missing = ProcessCapabilities.Missing(XdpCapabilities);
        if (missing.Count != 0)
            return $"; this process lacks {string.Join(", ", missing)} (AF_XDP needs CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF and CAP_SYS_ADMIN: deploy/systemd/wirespeed-afxdp.conf)";
        string hint = "";
        long memlock = LockedMemoryLimit();
        if (memlock >= 0 && !ProcessCapabilities.Has(Capability.IpcLock))
            hint += $"; the locked-memory limit is {memlock} bytes and CAP_IPC_LOCK is not held: the kernel charges the UMEM to it " +
                    "(XDP_UMEM_REG fails with ENOBUFS): raise it (LimitMEMLOCK=infinity, as the unit does; ulimit -l unlimited) or grant CAP_IPC_LOCK";
        if (!Environment.IsPrivilegedProcess && !IsWritableDirectory("/run/xdp"))
            hint += "; /run/xdp (libxdp's lock) is not writable by this user: RuntimeDirectory=xdp in the drop-in creates it";
        return hint;
    }

    /// <summary>RLIMIT_MEMLOCK's soft limit in bytes from /proc/self/limits; -1 when unlimited or unreadable.</summary>
    private static long LockedMemoryLimit()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max locked memory", StringComparison.Ordinal)) continue;
                string[] f = line.Substring("Max locked memory".Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return f.Length > 0 && long.TryParse(f[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : -1;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return -1;
    }

    private static bool IsWritableDirectory(string path)
    {
        try
        {
            string probe = Path.Combine(path, ".wirespeed-probe-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
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
