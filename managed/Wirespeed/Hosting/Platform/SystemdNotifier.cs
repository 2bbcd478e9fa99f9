using System;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Wirespeed.Hosting.Platform;

/// <summary>
/// The sd_notify protocol, spoken directly: one datagram per message on the AF_UNIX socket named by
/// <c>NOTIFY_SOCKET</c> (a path, or an abstract name written with a leading '@'), as systemd's Type=notify expects.
/// READY=1 once start-up is done, STATUS=… for <c>systemctl status</c>, WATCHDOG=1 at half of <c>WATCHDOG_USEC</c>
/// while the process is healthy, STOPPING=1 when draining. Without NOTIFY_SOCKET every call is a no-op that returns
/// false, so the same binary runs under systemd and from a shell.
/// </summary>
/// <remarks>
/// Thread-safe: each send is one datagram on a connectionless socket. Cold path except <see cref="Watchdog"/>, which
/// sends a pre-encoded message and allocates nothing. The watchdog thread started by <see cref="StartWatchdog"/> pings
/// only while the caller's health check passes, so a stuck worker makes systemd restart the service (WatchdogSec).
/// </remarks>
public sealed class SystemdNotifier : IDisposable
{
    private static readonly byte[] s_ready = "READY=1"u8.ToArray();
    private static readonly byte[] s_watchdog = "WATCHDOG=1"u8.ToArray();
    private static readonly byte[] s_stopping = "STOPPING=1"u8.ToArray();

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private Thread? _watchdogThread;
    private volatile bool _stopWatchdog;
    private long _watchdogsSent;

    /// <summary>Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment (systemd sets them).</summary>
    public static SystemdNotifier FromEnvironment() => new(
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET"),
        ParseLong(Environment.GetEnvironmentVariable("WATCHDOG_USEC")),
        (int)ParseLong(Environment.GetEnvironmentVariable("WATCHDOG_PID")));

    /// <param name="notifySocket">Socket path, or '@name' for an abstract socket; null or empty disables the notifier.</param>
    /// <param name="watchdogUsec">WATCHDOG_USEC: systemd's watchdog timeout in µs; 0 = no watchdog.</param>
    /// <param name="watchdogPid">WATCHDOG_PID: the watchdog applies only when 0 or this process's id.</param>
    public SystemdNotifier(string? notifySocket, long watchdogUsec = 0, int watchdogPid = 0)
    {
        if (string.IsNullOrEmpty(notifySocket)) return;
        if (notifySocket[0] != '/' && notifySocket[0] != '@')
            throw new ArgumentException($"NOTIFY_SOCKET={notifySocket} must be an absolute path or an abstract name starting with '@'.", nameof(notifySocket));
        // Abstract names: '@' stands for the leading NUL byte of sun_path (sd_notify(3)).
        _endPoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        if (watchdogUsec > 0 && (watchdogPid == 0 || watchdogPid == Environment.ProcessId))
            WatchdogInterval = TimeSpan.FromTicks(watchdogUsec * 10 / 2); // sd_watchdog_enabled(3): ping at half the timeout
    }

    /// <summary>True when NOTIFY_SOCKET was given: messages are sent.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Half of WATCHDOG_USEC when systemd wants watchdog pings from this process; otherwise null.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>WATCHDOG=1 messages sent so far.</summary>
    public long WatchdogsSent => Interlocked.Read(ref _watchdogsSent);

    /// <summary>Messages systemd refused or that failed to send (the service keeps running; the monitor reports it).</summary>
    public long SendErrors { get; private set; }

    /// <summary>READY=1, with an optional STATUS line in the same datagram. Returns false when disabled or refused.</summary>
    public bool Ready(string? status = null) =>
        status is null ? Send(s_ready) : Send(Encoding.UTF8.GetBytes("READY=1\nSTATUS=" + OneLine(status)));

    /// <summary>STATUS=… (one line, shown by <c>systemctl status</c>).</summary>
    public bool Status(string status) => Send(Encoding.UTF8.GetBytes("STATUS=" + OneLine(status)));

    /// <summary>WATCHDOG=1. Allocates nothing.</summary>
    public bool Watchdog()
    {
        bool sent = Send(s_watchdog);
        if (sent) Interlocked.Increment(ref _watchdogsSent);
        return sent;
    }

    /// <summary>STOPPING=1: the service is draining (SIGTERM).</summary>
    public bool Stopping() => Send(s_stopping);

    /// <summary>
    /// Starts a background thread that sends WATCHDOG=1 every <see cref="WatchdogInterval"/> while
    /// <paramref name="healthy"/> returns true (null = always). Does nothing when systemd asked for no watchdog.
    /// Returns true when the thread runs.
    /// </summary>
    public bool StartWatchdog(Func<bool>? healthy = null)
    {
        if (!IsEnabled || WatchdogInterval is not TimeSpan interval || _watchdogThread is not null) return false;
        _watchdogThread = new Thread(() =>
        {
            while (!_stopWatchdog)
            {
                if (healthy is null || healthy()) Watchdog();
                Thread.Sleep(interval);
            }
        })
        { IsBackground = true, Name = "sd-watchdog" };
        _watchdogThread.Start();
        return true;
    }

    private bool Send(byte[] message)
    {
        if (_socket is null) return false;
        try
        {
            _socket.SendTo(message, SocketFlags.None, _endPoint!);
            return true;
        }
        catch (SocketException)
        {
            SendErrors++;
            return false;
        }
    }

    private static string OneLine(string s) => s.Replace('\n', ' ');

    private static long ParseLong(string? s) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : 0;

    public void Dispose()
    {
        _stopWatchdog = true;
        _watchdogThread?.Join(WatchdogInterval is TimeSpan i ? i + TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1));
        _socket?.Dispose();
    }
}
