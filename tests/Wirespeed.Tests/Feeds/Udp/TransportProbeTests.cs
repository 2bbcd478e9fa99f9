using Wirespeed.Feeds.Udp;
using Wirespeed.Interop;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Udp;

public sealed class TransportProbeTests
{
    [Fact]
    public void Auto_never_picks_xdp_for_loopback_and_says_why()
    {
        TransportChoice c = TransportProbe.Choose(TransportKind.Auto, "lo");
        Assert.NotEqual(TransportKind.Xdp, c.Kind);
        Assert.True(c.Usable);
        Assert.Contains("not xdp", c.Reason);
        Assert.Contains("loopback", c.Reason);
    }

    [Fact]
    public void Auto_picks_io_uring_where_the_kernel_allows_it()
    {
        Requires.That(NativeLibraryResolver.IsAvailable(out string why), why);
        int rc = TransportProbe.ProbeUring(out string reason);
        TransportChoice c = TransportProbe.Choose(TransportKind.Auto, null);
        Assert.Equal(rc == 0 ? TransportKind.Uring : TransportKind.Socket, c.Kind);
        Assert.Contains(reason, c.Reason);
    }

    [Fact]
    public void An_explicit_xdp_request_on_a_missing_interface_is_unusable_with_the_reason()
    {
        TransportChoice c = TransportProbe.Choose(TransportKind.Xdp, "nosuchif9");
        Assert.Equal(TransportKind.Xdp, c.Kind);
        Assert.False(c.Usable);
        Assert.Contains("nosuchif9", c.Reason);
    }

    [Fact]
    public void Sockets_are_always_usable()
    {
        TransportChoice c = TransportProbe.Choose(TransportKind.Socket);
        Assert.True(c.Usable);
        Assert.StartsWith("transport=socket", c.ToString());
    }
}
