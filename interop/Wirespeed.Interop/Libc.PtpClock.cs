using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

internal static unsafe partial class Libc
{
    /// <summary>CLOCK_REALTIME from &lt;time.h&gt;.</summary>
    internal const int ClockRealtime = 0;

    /// <summary>O_RDONLY | O_CLOEXEC from &lt;fcntl.h&gt; (x86-64 and arm64).</summary>
    internal const int OpenReadOnlyCloseOnExec = 0x0 | 0x80000;

    /// <summary>Wraps clock_gettime(2). Returns 0, or -1 with errno set.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int ClockGetTime(int clockId, TimeSpec* time);

    /// <summary>Wraps open(2) with no mode argument (the file is never created). Returns the fd, or -1 with errno set.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    /// <summary>Wraps close(2). Never retried (close(2): the fd is gone even when it fails with EINTR).</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}

/// <summary>
/// A PTP hardware clock (<c>/dev/ptpN</c>, the NIC's PHC that ptp4l disciplines) read with clock_gettime on its
/// dynamic clock id. Cold path: the clock-health watcher reads it a few times a second. The kernel's rule for the id
/// (include/linux/posix-timers.h, FD_TO_CLOCKID): <c>((~fd) &lt;&lt; 3) | CLOCKFD</c>, CLOCKFD = 3.
/// </summary>
public sealed unsafe class PtpHardwareClock : System.IDisposable
{
    private const int ClockFd = 3;
    private int _fd;

    private PtpHardwareClock(string device, int fd)
    {
        Device = device;
        _fd = fd;
        ClockId = (~fd << 3) | ClockFd;
    }

    /// <summary>The device path, e.g. /dev/ptp0.</summary>
    public string Device { get; }

    /// <summary>The dynamic POSIX clock id of the open device.</summary>
    public int ClockId { get; }

    /// <summary>Opens <paramref name="device"/> read-only (reading the time needs no write access); false with errno when it cannot.</summary>
    public static bool TryOpen(string device, out PtpHardwareClock? clock, out int errno)
    {
        int fd = Libc.Open(device, Libc.OpenReadOnlyCloseOnExec);
        if (fd < 0)
        {
            errno = Marshal.GetLastSystemError();
            clock = null;
            return false;
        }
        clock = new PtpHardwareClock(device, fd);
        if (clock.TryRead(out _, out errno)) return true;
        clock.Dispose();   // a file that is not a PTP clock: clock_gettime says EINVAL
        clock = null;
        return false;
    }

    /// <summary>The clock's time in ns since its epoch (TAI or UTC, as ptp4l/phc2sys keep it); false with errno on failure.</summary>
    public bool TryRead(out long nanoseconds, out int errno)
    {
        var ts = new TimeSpec();
        if (Libc.ClockGetTime(ClockId, &ts) != 0)
        {
            errno = Marshal.GetLastSystemError();
            nanoseconds = 0;
            return false;
        }
        errno = 0;
        nanoseconds = ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
        return true;
    }

    /// <summary>CLOCK_REALTIME through clock_gettime (the same call, for tests that compare the two paths).</summary>
    public static long RealtimeNs()
    {
        var ts = new TimeSpec();
        Libc.ClockGetTime(Libc.ClockRealtime, &ts);
        return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
    }

    public void Dispose()
    {
        int fd = System.Threading.Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) Libc.Close(fd);
    }
}
