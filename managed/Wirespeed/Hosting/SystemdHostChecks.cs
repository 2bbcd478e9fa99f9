using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Wirespeed.Hosting;

/// <summary>
/// Start-up checks of the host a service runs on (cold path): which pinned cores the kernel has not isolated, so the
/// run command can warn (deploy/systemd/README.md explains isolcpus/nohz_full).
/// </summary>
public static class SystemdHostChecks
{
    /// <summary>Default source of the isolated-CPU list.</summary>
    public const string IsolatedPath = "/sys/devices/system/cpu/isolated";

    /// <summary>
    /// The cores of <paramref name="pinned"/> that are not in the kernel's isolated set (read from
    /// <paramref name="isolatedListPath"/>, a cpulist such as "2-5,8"), in the order given. An unreadable file counts as
    /// nothing isolated.
    /// </summary>
    public static int[] NotIsolated(ReadOnlySpan<int> pinned, string isolatedListPath = IsolatedPath)
    {
        string list = "";
        try { list = File.ReadAllText(isolatedListPath); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        HashSet<int> isolated = ParseCpuList(list);
        var missing = new List<int>();
        foreach (int cpu in pinned)
            if (!isolated.Contains(cpu)) missing.Add(cpu);
        return missing.ToArray();
    }

    /// <summary>A warning line for <see cref="NotIsolated"/>'s result, or null when every pinned core is isolated.</summary>
    public static string? Warning(ReadOnlySpan<int> pinned, string isolatedListPath = IsolatedPath)
    {
        int[] missing = NotIsolated(pinned, isolatedListPath);
        if (missing.Length == 0) return null;
        return $"warning: pinned cores {string.Join(',', missing)} are not isolated (kernel isolcpus/nohz_full); " +
               "the scheduler and interrupts will share them and add latency tails. See deploy/systemd/README.md.";
    }

    /// <summary>Parses a kernel cpulist ("0-3,8,10-11"); malformed parts are skipped.</summary>
    public static HashSet<int> ParseCpuList(string list)
    {
        var set = new HashSet<int>();
        foreach (string raw in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = raw.IndexOf('-');
            if (dash < 0)
            {
                if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int one)) set.Add(one);
                continue;
            }
            if (int.TryParse(raw.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
                && int.TryParse(raw.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int hi) && lo <= hi && hi - lo < 65_536)
                for (int c = lo; c <= hi; c++) set.Add(c);
        }
        return set;
    }
}
