using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Xunit;
using Wirespeed.Hosting.Platform;

namespace Wirespeed.Tests.Integration;

/// <summary>The notifier speaks sd_notify through a real AF_UNIX datagram socket, as systemd listens on one.</summary>
[Trait("Category", "Integration")]
public sealed class SystemdNotifyTests
{
    /// <summary>A receiver playing systemd's part: bound datagram socket, messages read with a timeout.</summary>
    private sealed class FakeSystemd : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        private readonly string? _path;

        public FakeSystemd(bool isAbstract)
        {
            string name = $"wirespeed-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
            if (isAbstract)
            {
                NotifySocket = "@" + name;
                _socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
            }
            else
            {
                _path = Path.Combine(Path.GetTempPath(), name + ".sock");
                NotifySocket = _path;
                _socket.Bind(new UnixDomainSocketEndPoint(_path));
            }
            _socket.ReceiveTimeout = 2_000;
        }

        public string NotifySocket { get; }

        public string Receive()
        {
            var buffer = new byte[4096];
            int n = _socket.Receive(buffer);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }

        public void Dispose()
        {
            _socket.Dispose();
            if (_path is not null) File.Delete(_path);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ready_status_and_stopping_arrive_as_single_datagrams(bool isAbstract)
    {
        using var systemd = new FakeSystemd(isAbstract);
        using var notifier = new SystemdNotifier(systemd.NotifySocket);
        Assert.True(notifier.IsEnabled);
        Assert.True(notifier.Ready("receiving line A\nover io_uring"));
        Assert.Equal("READY=1\nSTATUS=receiving line A over io_uring", systemd.Receive());
        Assert.True(notifier.Status("lost 0"));
        Assert.Equal("STATUS=lost 0", systemd.Receive());
        Assert.True(notifier.Stopping());
        Assert.Equal("STOPPING=1", systemd.Receive());
    }

    [Fact]
    public void Watchdog_pings_at_half_the_timeout_while_healthy_and_stops_when_not()
    {
        using var systemd = new FakeSystemd(isAbstract: true);
        bool healthy = true;
        // WATCHDOG_USEC = 200 ms: pings every 100 ms.
        using var notifier = new SystemdNotifier(systemd.NotifySocket, watchdogUsec: 200_000, watchdogPid: Environment.ProcessId);
        Assert.Equal(TimeSpan.FromMilliseconds(100), notifier.WatchdogInterval);
        Assert.True(notifier.StartWatchdog(() => Volatile.Read(ref healthy)));
        Assert.Equal("WATCHDOG=1", systemd.Receive());
        Assert.Equal("WATCHDOG=1", systemd.Receive());
        Volatile.Write(ref healthy, false);
        Thread.Sleep(250); // any ping already decided drains in this time
        long sent = notifier.WatchdogsSent;
        Thread.Sleep(350);
        Assert.Equal(sent, notifier.WatchdogsSent);
    }

    [Fact]
    public void Without_notify_socket_every_call_is_a_no_op()
    {
        using var notifier = new SystemdNotifier(null, watchdogUsec: 1_000_000);
        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Ready());
        Assert.False(notifier.Watchdog());
        Assert.False(notifier.StartWatchdog());
    }

    [Fact]
    public void A_watchdog_meant_for_another_process_is_ignored()
    {
        using var systemd = new FakeSystemd(isAbstract: false);
        using var notifier = new SystemdNotifier(systemd.NotifySocket, watchdogUsec: 1_000_000, watchdogPid: Environment.ProcessId + 1);
        Assert.Null(notifier.WatchdogInterval);
        Assert.False(notifier.StartWatchdog());
    }

    [Fact]
    public void A_relative_notify_socket_is_a_configuration_error()
    {
        var e = Assert.Throws<ArgumentException>(() => new SystemdNotifier("run/notify"));
        Assert.Contains("NOTIFY_SOCKET", e.Message);
    }
}
