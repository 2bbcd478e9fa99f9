using System;
using System.Globalization;
using System.IO;
using Wirespeed.Tests.Infrastructure;
using Wirespeed.Tests.Integration;
using Xunit;

namespace Wirespeed.Tests.FaultMatrix;

/// <summary>
/// Capabilities x transports, as an operator meets them: the executable run as user nobody with a chosen set of
/// capabilities (util-linux setpriv, ambient capabilities as systemd's AmbientCapabilities= grants them). Socket and
/// io_uring lines start with none and print the receive buffer the kernel granted; AF_XDP without its capabilities
/// stops at start-up with exit code 3 (configuration) and a message naming what is missing, never a stack trace.
/// Root sets these up; without root the tests skip (under CI=true they must run).
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]   // capabilities, setpriv, unix file modes
public sealed class PrivilegeFaultTests
{
    private const int ConfigurationExit = 3;   // README: exit codes
    private const string XdpCaps = "+net_raw,+net_admin,+bpf,+sys_admin";

    private static string Binary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    private static void RequireSetup()
    {
        Requires.Root("switches to user nobody with chosen capabilities (setpriv)");
        Requires.That(File.Exists("/usr/bin/setpriv") || File.Exists("/bin/setpriv"), "needs setpriv (util-linux)");
        Requires.That(File.Exists(Binary), $"the wirespeed executable is not built at {Binary} (./ws test builds it)");
    }

    /// <summary>A configuration directory that user nobody can read (temporary directories are 0700).</summary>
    private static string ConfigFor(string dir, string line)
    {
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                                  | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string f = Path.Combine(dir, "c.json");
        File.WriteAllText(f, $$"""{ "lines": [ {{line}} ], "books": { "maxInstruments": 128, "maxOrders": 65536 } }""");
        File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return f;
    }

    /// <summary>Runs <c>wirespeed run --config F --seconds 1</c> as nobody with exactly <paramref name="caps"/> ("" for none).</summary>
    private static ChildProcess RunAsNobody(string caps, string config)
    {
        string[] setpriv = caps.Length == 0
            ? ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all"]
            : ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all," + caps, "--ambient-caps=-all," + caps];
        var p = new ChildProcess("setpriv", [.. setpriv, NobodyExecutable.For(Binary), "run", "--config", config, "--seconds", "1"]);
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), "run did not finish:\n" + p.Output);
        return p;
    }

    private static void AssertNoStackTrace(ChildProcess p)
    {
        Assert.DoesNotContain("Unhandled exception", p.Output);
        Assert.DoesNotContain("   at ", p.Output);
    }

    [Theory]
    [InlineData("socket", 26754)]
    [InlineData("uring", 26755)]
    [InlineData("recv", 26756)]
    public void A_socket_or_uring_line_starts_as_nobody_with_no_capability_and_prints_the_granted_receive_buffer(string transport, int port)
    {
        RequireSetup();
        string dir = Directory.CreateTempSubdirectory("ws-priv").FullName;
        try
        {
            using var p = RunAsNobody("", ConfigFor(dir, $$"""{ "transport": "{{transport}}", "port": {{port}} }"""));
            Assert.True(p.ExitCode == 0, p.Output);
            AssertNoStackTrace(p);
            Assert.Contains($"line A: {transport} on 239.192.0.1 via 127.0.0.1:{port}", p.Stdout);
            Assert.DoesNotContain("running as root", p.Stdout);
            long rmemMax = long.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max").Trim(), CultureInfo.InvariantCulture);
            const long requested = 16 << 20;   // lines[].receiveBufferBytes' default
            if (rmemMax < requested)
            {
                // Without CAP_NET_ADMIN the kernel caps SO_RCVBUF at rmem_max: say so, with both fixes.
                Assert.Contains($"warning: line A: receive buffer {rmemMax >> 20} MiB granted of 16 MiB requested", p.Stdout);
                Assert.Contains($"capped by net.core.rmem_max = {rmemMax} without CAP_NET_ADMIN", p.Stdout);
                Assert.Contains("sysctl -w net.core.rmem_max=16777216", p.Stdout);
            }
            else
            {
                Assert.Contains("line A: receive buffer 16 MiB granted of 16 MiB requested", p.Stdout);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Root_is_warned_that_a_socket_line_needs_no_privilege_and_gets_its_whole_buffer()
    {
        RequireSetup();
        string dir = Directory.CreateTempSubdirectory("ws-priv").FullName;
        try
        {
            using var p = new ChildProcess(Binary, "run", "--config", ConfigFor(dir, """{ "transport": "socket", "port": 26734 }"""), "--seconds", "1");
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), p.Output);
            Assert.True(p.ExitCode == 0, p.Output);
            Assert.Contains("warning: running as root, but socket lines need no privilege", p.Stdout);
            // Root holds CAP_NET_ADMIN: SO_RCVBUFFORCE passes rmem_max.
            Assert.Contains("line A: receive buffer 16 MiB granted of 16 MiB requested (SO_RCVBUF reads 32 MiB", p.Stdout);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("", "CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF, CAP_SYS_ADMIN")]
    [InlineData("+net_raw,+net_admin", "CAP_BPF, CAP_SYS_ADMIN")]
    [InlineData("+net_raw,+bpf,+sys_admin", "CAP_NET_ADMIN")]
    public void Af_xdp_without_its_capabilities_fails_at_start_up_naming_the_missing_ones(string caps, string missing)
    {
        RequireSetup();
        Requires.That(VethNamespace.HasIp, "needs iproute2 ('ip') for a veth pair");
        using var veth = VethNamespace.Create(21, rxQueues: 1);
        string dir = Directory.CreateTempSubdirectory("ws-priv").FullName;
        try
        {
            using var p = RunAsNobody(caps, ConfigFor(dir, $$"""{ "transport": "xdp", "device": "{{veth.HostInterface}}", "xdpMode": "skb", "port": 26735, "interface": "{{veth.HostAddress}}", "group": "239.255.79.21" }"""));
            Assert.True(p.ExitCode == ConfigurationExit, $"exit {p.ExitCode}:\n{p.Output}");
            AssertNoStackTrace(p);
            Assert.Contains("wirespeed: configuration error: lines[0].transport: 'xdp' cannot run here: AF_XDP needs CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF and CAP_SYS_ADMIN; " +
                            $"this process lacks {missing} (", p.Stderr);
            Assert.DoesNotContain("prog/xdp", VethNamespace.Shell("ip", $"link show dev {veth.HostInterface}").Output);   // nothing attached
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Af_xdp_as_nobody_with_its_four_capabilities_starts_or_names_the_locked_memory_limit()
    {
        RequireSetup();
        Requires.That(VethNamespace.HasIp, "needs iproute2 ('ip') for a veth pair");
        using var veth = VethNamespace.Create(22, rxQueues: 1);
        string dir = Directory.CreateTempSubdirectory("ws-priv").FullName;
        try
        {
            string config = ConfigFor(dir, $$"""{ "transport": "xdp", "device": "{{veth.HostInterface}}", "xdpMode": "skb", "port": 26736, "interface": "{{veth.HostAddress}}", "group": "239.255.79.22" }""");
            using (var p = RunAsNobody(XdpCaps, config))
            {
                AssertNoStackTrace(p);
                if (LockedMemoryLimit() is long limit)
                {
                    // The UMEM is charged to RLIMIT_MEMLOCK (inherited from this test) without CAP_IPC_LOCK: a finite limit
                    // smaller than the UMEM refuses it, and the message says which limit and how to lift it.
                    Assert.True(p.ExitCode == ConfigurationExit, $"exit {p.ExitCode} under a {limit}-byte memlock limit:\n{p.Output}");
                    Assert.Contains($"the locked-memory limit is {limit} bytes and CAP_IPC_LOCK is not held", p.Stderr);
                    Assert.Contains("LimitMEMLOCK=infinity", p.Stderr);
                }
                else
                {
                    Assert.True(p.ExitCode == 0, p.Output);
                }
            }
            // With CAP_IPC_LOCK as well (or under the unit's LimitMEMLOCK=infinity) nobody runs AF_XDP: no root needed.
            using (var p = RunAsNobody(XdpCaps + ",+ipc_lock", config))
            {
                Assert.True(p.ExitCode == 0, p.Output);
                AssertNoStackTrace(p);
                Assert.Contains($"line A: xdp on 239.255.79.22 via {veth.HostAddress}:26736 (AF_XDP on {veth.HostInterface}: 1 receive queue(s), CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF and CAP_SYS_ADMIN held)", p.Stdout);
                Assert.DoesNotContain("running as root", p.Stdout);
                Assert.Contains("line A: no socket receive buffer (AF_XDP): frames wait in the UMEM, 8,192 frames of 2048 B on each of 1 queue(s)", p.Stdout);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>This process's RLIMIT_MEMLOCK (children inherit it) when finite and too small for the test's UMEM, else null.</summary>
    private static long? LockedMemoryLimit()
    {
        foreach (string line in File.ReadLines("/proc/self/limits"))
        {
            if (!line.StartsWith("Max locked memory", StringComparison.Ordinal)) continue;
            string soft = line["Max locked memory".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            // The UMEM of one queue is 8192 frames x 2048 bytes = 16 MiB (XdpOptions' defaults): a smaller limit refuses it.
            return long.TryParse(soft, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v < 16L << 20 ? v : null;
        }
        return null;
    }
}
