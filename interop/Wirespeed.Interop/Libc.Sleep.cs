using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

/// <summary>Mirrors <c>struct timespec</c> on 64-bit Linux: seconds and nanoseconds, 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}

internal static unsafe partial class Libc
{
    /// <summary>CLOCK_MONOTONIC from &lt;time.h&gt;.</summary>
    internal const int ClockMonotonic = 1;

    /// <summary>PR_SET_TIMERSLACK from &lt;linux/prctl.h&gt;.</summary>
    internal const int PrSetTimerSlack = 29;

    /// <summary>PR_GET_TIMERSLACK from &lt;linux/prctl.h&gt;: the result is the slack in ns.</summary>
    internal const int PrGetTimerSlack = 30;

    /// <summary>Wraps clock_nanosleep(2) (relative sleep). Returns 0 or the error number (it does not set errno).</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "clock_nanosleep")]
    internal static partial int ClockNanosleep(int clockId, int flags, TimeSpec* request, TimeSpec* remain);

    /// <summary>
    /// Wraps prctl(2). It is variadic in C; on x86-64 and arm64 Linux a call with four word-sized integer arguments after
    /// the option is what glibc's own fixed-argument callers pass, so this fixed signature is ABI-compatible.
    /// </summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}

/// <summary>
/// Sleeps shorter than a millisecond, for idle strategies (Thread.Sleep only offers whole milliseconds). Safe wrappers
/// for code outside interop.
/// </summary>
internal static unsafe class ThreadSleep
{
    /// <summary>
    /// Sets the calling thread's timer slack: how late the kernel may fire its timers so that wake-ups can be merged.
    /// The default (50 µs) makes every short sleep at least that long. Returns 0 or the errno of the failure.
    /// </summary>
    public static int TrySetTimerSlack(long nanoseconds)
        => Libc.Prctl(Libc.PrSetTimerSlack, (nuint)nanoseconds, 0, 0, 0) == 0 ? 0 : Marshal.GetLastSystemError();

    /// <summary>
    /// Binds both calls now (cold path). The first call of a P/Invoke resolves its library through the assembly's
    /// DllImport resolver, which allocates on the calling thread: a worker whose first park came after warm-up showed
    /// 80 B on its allocation probe.
    /// </summary>
    public static void Bind()
    {
        TimerSlack();
        var zero = new TimeSpec();
        Libc.ClockNanosleep(Libc.ClockMonotonic, 0, &zero, null);
    }

    /// <summary>The calling thread's timer slack in ns, or a negative errno.</summary>
    public static long TimerSlack()
    {
        int slack = Libc.Prctl(Libc.PrGetTimerSlack, 0, 0, 0, 0);
        return slack >= 0 ? slack : -Marshal.GetLastSystemError();
    }

    /// <summary>Sleeps about <paramref name="microseconds"/> on the monotonic clock (a signal may end it early).</summary>
    public static void SleepMicroseconds(int microseconds)
    {
        var request = new TimeSpec { Seconds = microseconds / 1_000_000, Nanoseconds = microseconds % 1_000_000 * 1000L };
        Libc.ClockNanosleep(Libc.ClockMonotonic, 0, &request, null);
    }
}
