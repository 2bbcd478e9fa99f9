using System;
using System.Globalization;
using System.IO;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop;

namespace Wirespeed.Hosting.Platform;

/// <summary>
/// Start-up lines about privilege and what the kernel granted (cold path): a warning when the process runs as root
/// although its transport needs no privilege, each line's receive buffer as granted, and the capabilities an AF_XDP
/// failure points at. deploy/systemd/README.md explains the fixes these lines name.
/// </summary>
public static class PrivilegeReport
{
    /// <summary>Where the kernel's cap on SO_RCVBUF is read (and set, by an administrator).</summary>
    public const string RmemMaxPath = "/proc/sys/net/core/rmem_max";

    /// <summary>
    /// The warning for a process that runs as root (effective uid 0) although <paramref name="kind"/> needs no privilege
    /// (sockets and io_uring), or null. AF_XDP needs capabilities, which root has, so there it says nothing.
    /// </summary>
    public static string? RootWithoutNeed(TransportKind kind, bool isRoot)
        => !isRoot || kind == TransportKind.Xdp ? null
            : $"warning: running as root, but {Name(kind)} lines need no privilege: run as a dedicated user " +
              "(deploy/systemd/wirespeed.service does; a receive buffer above net.core.rmem_max is a sysctl, not a reason for root)";

    /// <summary>
    /// The start-up line of one line's receive buffer: what was asked, what the kernel granted (getsockopt SO_RCVBUF
    /// after the set: Linux reports twice the size it grants, for its own bookkeeping, so half of that is compared), and
    /// when it is less, why and the fix.
    /// </summary>
    /// <param name="line">The line's name.</param>
    /// <param name="requestedBytes">lines[].receiveBufferBytes.</param>
    /// <param name="reportedBytes">SO_RCVBUF as getsockopt returned it.</param>
    /// <param name="rmemMax">net.core.rmem_max, or -1 when it could not be read.</param>
    /// <param name="canForce">True when the process holds CAP_NET_ADMIN (SO_RCVBUFFORCE ignores rmem_max).</param>
    public static string ReceiveBuffer(string line, int requestedBytes, int reportedBytes, long rmemMax, bool canForce)
    {
        long granted = reportedBytes / 2;
        string head = $"line {line}: receive buffer {Size(granted)} granted of {Size(requestedBytes)} requested (SO_RCVBUF reads {Size(reportedBytes)}: the kernel doubles it for its bookkeeping)";
        if (granted >= requestedBytes) return head;
        string cause = canForce
            ? "although CAP_NET_ADMIN is held (SO_RCVBUFFORCE): the kernel refused more memory"
            : $"capped by net.core.rmem_max = {(rmemMax < 0 ? "unknown" : rmemMax.ToString(CultureInfo.InvariantCulture))} without CAP_NET_ADMIN";
        return $"warning: {head}; {cause}. A burst larger than {Size(granted)} is lost: raise the cap " +
               $"(sysctl -w net.core.rmem_max={requestedBytes}, or net.core.rmem_max = {requestedBytes} in /etc/sysctl.d/wirespeed.conf), " +
               "or grant CAP_NET_ADMIN so that SO_RCVBUFFORCE may exceed it";
    }

    /// <summary>net.core.rmem_max, or -1 when it cannot be read.</summary>
    public static long ReadRmemMax()
    {
        try
        {
            return long.TryParse(File.ReadAllText(RmemMaxPath).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : -1;
        }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
    }

    /// <summary>True when the process may use SO_RCVBUFFORCE.</summary>
    public static bool CanForceReceiveBuffer() => ProcessCapabilities.Has(Capability.NetAdmin);

    private static string Name(TransportKind kind) => kind == TransportKind.Uring ? "io_uring" : "socket";

    private static string Size(long bytes) => bytes % (1 << 20) == 0
        ? (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB"
        : bytes % 1024 == 0 ? (bytes >> 10).ToString(CultureInfo.InvariantCulture) + " KiB" : bytes.ToString(CultureInfo.InvariantCulture) + " B";
}
