using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Wirespeed.Hosting.Platform;

/// <summary>The machine a figure was measured on, written beside every benchmark result (cold path).</summary>
public static class MachineSpec
{
    public static string Describe()
    {
        string cpu = "unknown cpu";
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) { cpu = line[(line.IndexOf(':') + 1)..].Trim(); break; }
        }
        catch (IOException) { }
        string kernel = TryRead("/proc/sys/kernel/osrelease") ?? "unknown kernel";
        string isolated = TryRead("/sys/devices/system/cpu/isolated") ?? "";
        string clock = TryRead("/sys/devices/system/clocksource/clocksource0/current_clocksource") ?? "unknown";
        return $"{cpu}, {Environment.ProcessorCount} CPUs (isolated: {(isolated.Length == 0 ? "none" : isolated)}), Linux {kernel}, clocksource {clock}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string? TryRead(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
