using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Wirespeed.Core.Agents;

/// <summary>
/// A set of CPU numbers in the kernel's list format ("0-3,8,10-11"), as in /sys/devices/system/cpu/online and
/// /sys/devices/system/cpu/isolated. Cold path.
/// </summary>
public sealed class CpuList
{
    private readonly int[] _cpus;   // ascending, distinct

    private CpuList(int[] cpus) => _cpus = cpus;

    /// <summary>The CPUs, ascending.</summary>
    public IReadOnlyList<int> Cpus => _cpus;

    public int Count => _cpus.Length;

    public bool Contains(int cpu) => Array.BinarySearch(_cpus, cpu) >= 0;

    /// <summary>Parses the kernel list format; blank means empty. Throws <see cref="FormatException"/> on bad text.</summary>
    public static CpuList Parse(string text)
    {
        var set = new SortedSet<int>();
        foreach (string part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-');
            if (dash < 0)
            {
                set.Add(ParseCpu(part, text));
                continue;
            }
            int lo = ParseCpu(part[..dash], text), hi = ParseCpu(part[(dash + 1)..], text);
            if (hi < lo) throw new FormatException($"cpu list '{text}': range {part} runs backwards");
            for (int c = lo; c <= hi; c++) set.Add(c);
        }
        var cpus = new int[set.Count];
        set.CopyTo(cpus);
        return new CpuList(cpus);
    }

    /// <summary>The CPUs 0 .. <paramref name="count"/> − 1.</summary>
    public static CpuList Range(int count)
    {
        var cpus = new int[Math.Max(0, count)];
        for (int i = 0; i < cpus.Length; i++) cpus[i] = i;
        return new CpuList(cpus);
    }

    /// <summary>Online CPUs of this machine (/sys/devices/system/cpu/online; else 0 .. ProcessorCount − 1).</summary>
    public static CpuList Online() => ReadSys("/sys/devices/system/cpu/online") ?? Range(Environment.ProcessorCount);

    /// <summary>CPUs isolated from the scheduler (isolcpus=); empty when none or unknown.</summary>
    public static CpuList Isolated() => ReadSys("/sys/devices/system/cpu/isolated") ?? new CpuList([]);

    /// <summary>The kernel list format, e.g. "0-1,4".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < _cpus.Length; i++)
        {
            int start = _cpus[i];
            while (i + 1 < _cpus.Length && _cpus[i + 1] == _cpus[i] + 1) i++;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(start);
            if (_cpus[i] != start) sb.Append('-').Append(_cpus[i]);
        }
        return sb.ToString();
    }

    private static CpuList? ReadSys(string path)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static int ParseCpu(string s, string text)
        => int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int cpu)
            ? cpu
            : throw new FormatException($"cpu list '{text}': '{s}' is not a CPU number");
}
