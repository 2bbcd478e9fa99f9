using Wirespeed.Feeds.Udp;
using Wirespeed.Hosting.Platform;
using Xunit;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>The start-up lines about privilege and the granted receive buffer say what happened and name the fix.</summary>
public sealed class PrivilegeReportTests
{
    [Fact]
    public void A_buffer_capped_by_rmem_max_is_a_warning_with_the_sysctl_and_the_capability()
    {
        // What a non-root process gets here: 16 MiB asked, rmem_max 4 MiB, SO_RCVBUF reads back 8 MiB (doubled).
        string line = PrivilegeReport.ReceiveBuffer("A", 16 << 20, 8 << 20, 4 << 20, canForce: false);
        Assert.StartsWith("warning: line A: receive buffer 4 MiB granted of 16 MiB requested (SO_RCVBUF reads 8 MiB", line);
        Assert.Contains("capped by net.core.rmem_max = 4194304 without CAP_NET_ADMIN", line);
        Assert.Contains("sysctl -w net.core.rmem_max=16777216", line);
        Assert.Contains("SO_RCVBUFFORCE", line);
    }

    [Fact]
    public void A_whole_buffer_is_a_plain_line_and_a_refusal_despite_the_capability_says_so()
    {
        Assert.Equal("line B: receive buffer 16 MiB granted of 16 MiB requested (SO_RCVBUF reads 32 MiB: the kernel doubles it for its bookkeeping)",
            PrivilegeReport.ReceiveBuffer("B", 16 << 20, 32 << 20, 4 << 20, canForce: true));
        Assert.Contains("although CAP_NET_ADMIN is held", PrivilegeReport.ReceiveBuffer("A", 16 << 20, 8 << 20, -1, canForce: true));
        Assert.Contains("rmem_max = unknown", PrivilegeReport.ReceiveBuffer("A", 16 << 20, 8 << 20, -1, canForce: false));
    }

    [Fact]
    public void Root_is_warned_only_where_no_privilege_is_needed()
    {
        Assert.Contains("running as root, but socket lines need no privilege", PrivilegeReport.RootWithoutNeed(TransportKind.Socket, isRoot: true));
        Assert.Contains("running as root, but io_uring lines need no privilege", PrivilegeReport.RootWithoutNeed(TransportKind.Uring, isRoot: true));
        Assert.Null(PrivilegeReport.RootWithoutNeed(TransportKind.Xdp, isRoot: true));
        Assert.Null(PrivilegeReport.RootWithoutNeed(TransportKind.Socket, isRoot: false));
    }
}
