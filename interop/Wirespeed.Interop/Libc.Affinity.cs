using System;
using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

/// <summary>
/// Mirrors glibc's <c>cpu_set_t</c>: a fixed 1024-bit mask (128 bytes), bit N = CPU N. Passed to the kernel by
/// pointer with its size, so the signature stays blittable (no bool, no array).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
internal unsafe struct CpuSet
{
    /// <summary>glibc's CPU_SETSIZE (1024) bits.</summary>
    public const int SizeBytes = 128;
    public const int MaxCpus = SizeBytes * 8;

    [FieldOffset(0)] private fixed ulong _words[SizeBytes / sizeof(ulong)];

    /// <summary>Sets the bit of <paramref name="cpu"/> (0 ≤ cpu &lt; <see cref="MaxCpus"/>).</summary>
    public void Add(int cpu)
    {
        if ((uint)cpu >= MaxCpus) throw new ArgumentOutOfRangeException(nameof(cpu), cpu, $"cpu must be in 0..{MaxCpus - 1}");
        _words[cpu >> 6] |= 1UL << (cpu & 63);
    }

    /// <summary>True when the bit of <paramref name="cpu"/> is set.</summary>
    public readonly bool Contains(int cpu) => (uint)cpu < MaxCpus && (_words[cpu >> 6] & (1UL << (cpu & 63))) != 0;
}

internal static unsafe partial class Libc
{
    /// <summary>Wraps sched_setaffinity(2). pid 0 = the calling thread. Returns 0 or -1 with errno set.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "sched_setaffinity", SetLastError = true)]
    internal static partial int SchedSetAffinity(int pid, nuint cpuSetSize, CpuSet* mask);

    /// <summary>Wraps sched_getaffinity(2). pid 0 = the calling thread. Returns 0 on success (glibc), or -1 with errno.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "sched_getaffinity", SetLastError = true)]
    internal static partial int SchedGetAffinity(int pid, nuint cpuSetSize, CpuSet* mask);

    /// <summary>Wraps gettid(2) (glibc ≥ 2.30): the kernel thread id of the caller. Never fails.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "gettid")]
    internal static partial int GetTid();
}

/// <summary>
/// Safe wrappers over the affinity calls for code outside interop (which keeps no <c>unsafe</c>). Cold path: called
/// once per worker at start-up.
/// </summary>
internal static unsafe class ThreadAffinity
{
    /// <summary>Pins the calling thread to exactly <paramref name="cpu"/>. Returns 0 or the errno of the failure.</summary>
    public static int TryPinCurrentThread(int cpu)
    {
        if ((uint)cpu >= CpuSet.MaxCpus) return 22; // EINVAL: the mask cannot even express it
        CpuSet set = default;
        set.Add(cpu);
        return Libc.SchedSetAffinity(0, (nuint)CpuSet.SizeBytes, &set) == 0 ? 0 : Marshal.GetLastSystemError();
    }

    /// <summary>
    /// Writes the CPUs the calling thread may run on into <paramref name="cpus"/> (ascending) and returns how many, or
    /// a negative errno on failure.
    /// </summary>
    public static int TryGetCurrentThread(Span<int> cpus)
    {
        CpuSet set = default;
        if (Libc.SchedGetAffinity(0, (nuint)CpuSet.SizeBytes, &set) != 0) return -Marshal.GetLastSystemError();
        int n = 0;
        for (int cpu = 0; cpu < CpuSet.MaxCpus && n < cpus.Length; cpu++)
            if (set.Contains(cpu)) cpus[n++] = cpu;
        return n;
    }

    /// <summary>Kernel thread id of the caller (what <c>top -H</c> and <c>taskset -p</c> show).</summary>
    public static int CurrentThreadId() => Libc.GetTid();
}
