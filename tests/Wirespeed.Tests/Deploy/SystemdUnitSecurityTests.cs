using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Deploy;

/// <summary>
/// deploy/systemd: <c>systemd-analyze security</c> (the offline form, which reads the unit file without a running
/// systemd) rates the unit for socket and io_uring lines at most 3.0, and the AF_XDP drop-in is read with it and adds
/// exactly the capabilities AF_XDP needs.
/// </summary>
public class SystemdUnitSecurityTests
{
    private const double MaxExposure = 3.0;
    private static readonly Regex s_overall = new(@"Overall exposure level for wirespeed\.service: (\d+\.\d)", RegexOptions.CultureInvariant);

    private static string Unit => Path.Combine(SharedData.RepoRoot, "deploy", "systemd", "wirespeed.service");
    private static string AfXdpDropIn => Path.Combine(SharedData.RepoRoot, "deploy", "systemd", "wirespeed-afxdp.conf");

    [Fact]
    public void The_socket_and_uring_unit_is_rated_at_most_3_0()
    {
        string report = Analyze(Unit, root: null);
        double exposure = Exposure(report);
        Assert.True(exposure <= MaxExposure, $"systemd-analyze security rates {Unit} {exposure} (at most {MaxExposure} wanted):\n{report}");
        // The settings the issue names are in force, not merely scored away.
        foreach (string passed in new[] { "SystemCallFilter=~@privileged", "RestrictNamespaces=~user", "PrivateDevices=", "ProtectKernelTunables=",
                                          "MemoryDenyWriteExecute=", "CapabilityBoundingSet=~CAP_SYS_ADMIN", "CapabilityBoundingSet=~CAP_BPF", "AmbientCapabilities=" })
            Assert.Matches(new Regex(@"✓ " + Regex.Escape(passed)), report);
    }

    [Fact]
    public void The_afxdp_drop_in_grants_its_four_capabilities_and_scores_higher_than_the_unit()
    {
        string root = Directory.CreateTempSubdirectory("ws-systemd-root").FullName;
        try
        {
            string units = Path.Combine(root, "etc", "systemd", "system");
            Directory.CreateDirectory(Path.Combine(units, "wirespeed.service.d"));
            File.Copy(Unit, Path.Combine(units, "wirespeed.service"));
            File.Copy(AfXdpDropIn, Path.Combine(units, "wirespeed.service.d", "afxdp.conf"));
            string withDropIn = Analyze("wirespeed.service", root);
            double plain = Exposure(Analyze(Unit, root: null)), afxdp = Exposure(withDropIn);
            Assert.True(afxdp > plain, $"the drop-in was not read (same score {afxdp}):\n{withDropIn}");
            Assert.True(afxdp <= MaxExposure, $"with the AF_XDP drop-in: {afxdp}:\n{withDropIn}");
            foreach (string granted in new[] { "CapabilityBoundingSet=~CAP_SYS_ADMIN", "CapabilityBoundingSet=~CAP_BPF", "CapabilityBoundingSet=~CAP_NET_ADMIN", "AmbientCapabilities=" })
                Assert.Matches(new Regex(@"✗ " + Regex.Escape(granted)), withDropIn);
            // Everything else stays closed.
            foreach (string passed in new[] { "PrivateDevices=", "MemoryDenyWriteExecute=", "RestrictNamespaces=~user", "CapabilityBoundingSet=~CAP_SYS_MODULE" })
                Assert.Matches(new Regex(@"✓ " + Regex.Escape(passed)), withDropIn);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    private static double Exposure(string report)
    {
        var m = s_overall.Match(report);
        Assert.True(m.Success, "no overall exposure line in systemd-analyze's output:\n" + report);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <c>systemd-analyze security --offline=yes</c> on a unit file, or on a unit name under <paramref name="root"/>.</summary>
    private static string Analyze(string unit, string? root)
    {
        string? tool = FindOnPath("systemd-analyze");
        Requires.That(tool is not null, "systemd-analyze is not installed (Debian package systemd; ./ws installs it)");
        var psi = new ProcessStartInfo(tool!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "security", "--offline=yes", "--no-pager" }) psi.ArgumentList.Add(a);
        if (root is not null) psi.ArgumentList.Add("--root=" + root);
        psi.ArgumentList.Add(unit);
        psi.Environment["SYSTEMD_COLORS"] = "0";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "systemd-analyze did not finish within 60 s");
        return output + stderr.Result;
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            string f = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (File.Exists(f)) return f;
        }
        return null;
    }
}
