using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Interop;

namespace Wirespeed.Tests.Integration;

/// <summary>
/// A network namespace holding one end of a veth pair (the sender side, address .2) while the other end (.1) stays in
/// this namespace for the receiver. Names are unique per process; leftovers of a killed run with the same names are
/// removed first, and Dispose removes everything (deleting the namespace deletes its veth end, and with it the pair).
/// </summary>
internal sealed class VethNamespace : IDisposable
{
    private VethNamespace(string ns, string hostIf, string peerIf, string subnet)
    {
        Namespace = ns;
        HostInterface = hostIf;
        PeerInterface = peerIf;
        HostAddress = subnet + ".1";
        PeerAddress = subnet + ".2";
    }

    public string Namespace { get; }
    /// <summary>Receiver end, in this namespace.</summary>
    public string HostInterface { get; }
    /// <summary>Sender end, in <see cref="Namespace"/>.</summary>
    public string PeerInterface { get; }
    public string HostAddress { get; }
    public string PeerAddress { get; }

    /// <summary>Creates the namespace and pair; <paramref name="tag"/> keeps concurrent tests apart.</summary>
    public static VethNamespace Create(int tag, int rxQueues = 2)
    {
        int id = Environment.ProcessId % 10_000;
        string ns = $"wsb{id}n{tag}", a = $"wsb{id}a{tag}", b = $"wsb{id}b{tag}";
        string subnet = $"10.{77 + tag}.{id % 250}";
        var v = new VethNamespace(ns, a, b, subnet);
        v.Cleanup();
        try
        {
            Ip($"netns add {ns}");
            Ip($"link add {a} numrxqueues {rxQueues} numtxqueues {rxQueues} type veth peer name {b} numrxqueues {rxQueues} numtxqueues {rxQueues}");
            Ip($"link set {b} netns {ns}");
            Ip($"addr add {subnet}.1/24 dev {a}");
            Ip($"link set {a} up");
            Ip($"-n {ns} addr add {subnet}.2/24 dev {b}");
            Ip($"-n {ns} link set {b} up");
            Ip($"-n {ns} link set lo up");
            // Turn off IPv6 on the pair so router solicitations do not add noise (they are still counted if any).
            TryRun("sysctl", $"-qw net.ipv6.conf.{a}.disable_ipv6=1");
            return v;
        }
        catch
        {
            v.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> on a fresh thread that has entered <see cref="Namespace"/>; sockets it
    /// creates stay in that namespace for their whole life, whichever thread uses them later.</summary>
    public T InNamespace<T>(Func<T> action)
    {
        T? result = default;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                using var nsFile = File.OpenHandle("/run/netns/" + Namespace, FileMode.Open, FileAccess.Read);
                if (Libc.SetNs((int)nsFile.DangerousGetHandle(), Libc.CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({Namespace}) failed: errno {Marshal.GetLastSystemError()}");
                result = action();
            }
            catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join(); // the thread ends here: its namespace dies with it, the sockets it made do not
        if (error is not null) throw new InvalidOperationException("in-namespace action failed", error);
        return result!;
    }

    private void Cleanup()
    {
        TryRun("ip", $"netns del {Namespace}");
        TryRun("ip", $"link del {HostInterface}");
    }

    public void Dispose() => Cleanup();

    private static void Ip(string args)
    {
        var (rc, output) = Run("ip", args);
        if (rc != 0) throw new InvalidOperationException($"ip {args} failed ({rc}): {output}");
    }

    private static void TryRun(string file, string args) => Run(file, args);

    private static (int, string) Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        if (!p.WaitForExit(10_000)) { p.Kill(); return (-1, "timeout"); }
        return (p.ExitCode, output.Trim());
    }

    /// <summary>True when `ip` exists (iproute2).</summary>
    public static bool HasIp => File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip");

    /// <summary>Runs a command and returns its exit code (for tests that inspect links).</summary>
    public static (int Rc, string Output) Shell(string file, string args) => Run(file, args);
}
