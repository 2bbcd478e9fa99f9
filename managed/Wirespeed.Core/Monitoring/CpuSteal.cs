using System;
using System.Buffers.Text;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Aggregate CPU time from the first line of /proc/stat, in USER_HZ ticks. Columns, per proc(5):
/// <c>cpu user nice system idle iowait irq softirq steal guest guest_nice</c>. Guest time is already counted in user
/// and nice, so the total is the sum of the first eight columns.
/// </summary>
public readonly record struct CpuTimes(long User, long Nice, long System, long Idle, long IoWait, long Irq, long SoftIrq, long Steal)
{
    /// <summary>Sum of the eight columns.</summary>
    public long Total => User + Nice + System + Idle + IoWait + Irq + SoftIrq + Steal;

    /// <summary>
    /// Steal between <paramref name="before"/> and <paramref name="after"/> as a percentage of all CPU time in that span
    /// (0 when no time passed).
    /// </summary>
    public static double StealPercent(in CpuTimes before, in CpuTimes after)
    {
        long total = after.Total - before.Total;
        return total <= 0 ? 0 : 100.0 * (after.Steal - before.Steal) / total;
    }

    /// <summary>
    /// Parses the aggregate <c>cpu </c> line of /proc/stat text. Missing trailing columns (old kernels) read as 0.
    /// Returns false when there is no such line.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> procStat, out CpuTimes times)
    {
        times = default;
        if (procStat.Length < 4 || !procStat.StartsWith("cpu "u8)) return false;
        ReadOnlySpan<byte> rest = procStat.Slice(4);
        int eol = rest.IndexOf((byte)'\n');
        if (eol >= 0) rest = rest.Slice(0, eol);
        Span<long> v = stackalloc long[8];
        for (int i = 0; i < v.Length; i++)
        {
            rest = rest.TrimStart((byte)' ');
            if (rest.IsEmpty) break;
            if (!Utf8Parser.TryParse(rest, out long value, out int consumed)) return false;
            v[i] = value;
            rest = rest.Slice(consumed);
        }
        times = new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        return true;
    }

    /// <summary>As <see cref="TryParse(ReadOnlySpan{byte}, out CpuTimes)"/> for text.</summary>
    public static bool TryParse(string procStat, out CpuTimes times)
        => TryParse(global::System.Text.Encoding.ASCII.GetBytes(procStat), out times);
}

/// <summary>
/// Reads /proc/stat through one open handle and a reusable buffer, so the monitor can sample it every interval
/// without allocating. <see cref="IsAvailable"/> is false where the file does not exist (non-Linux).
/// </summary>
public sealed class ProcStatReader : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly byte[] _buffer = new byte[512]; // the aggregate line is well under 256 bytes

    public ProcStatReader(string path = "/proc/stat")
    {
        try { _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _handle = null; }
    }

    /// <summary>Whether the file could be opened.</summary>
    public bool IsAvailable => _handle is not null;

    /// <summary>Reads the aggregate CPU times now. False when unavailable or unparsable.</summary>
    public bool TryRead(out CpuTimes times)
    {
        times = default;
        if (_handle is null) return false;
        // procfs regenerates the file for a read at offset 0, so one handle serves every sample.
        int n = RandomAccess.Read(_handle, _buffer, 0);
        return CpuTimes.TryParse(_buffer.AsSpan(0, n), out times);
    }

    public void Dispose() => _handle?.Dispose();
}
