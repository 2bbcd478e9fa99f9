using System.Globalization;
using System.Threading;
using Wirespeed.Configuration;

namespace Wirespeed.Hosting.Simulation;

/// <summary>
/// The MoldUDP64 session a simulator sends (configuration <c>simulator.session</c>). Empty, the default, gives every
/// live demo or simulate run a session of its own, so two runs on one host that share a multicast group cannot be
/// taken for each other: a receiver that expects its session counts the other's packets as foreign and ignores them
/// (sequencing.foreign_session_packets), instead of reading them as duplicates and gaps of its own.
/// </summary>
public static class SimulatorSession
{
    /// <summary>The session of files and in-process runs when none is configured: fixed, so that same seed means same bytes.</summary>
    public const string Deterministic = "WIRESPEED1";

    private static int s_runs;

    /// <summary>
    /// A session for one live run: 'W', the process id in 7 digits (Linux pids stay below 4,194,304), a per-process
    /// run counter in base 36, and 'A' (lines after the first take B, C … in the last place, <see cref="SimulatedLines.SessionOf"/>).
    /// 10 printable ASCII characters, e.g. "W00123450A".
    /// </summary>
    public static string NewForRun() => NewForRun(System.Environment.ProcessId, Interlocked.Increment(ref s_runs) - 1);

    /// <summary>As <see cref="NewForRun()"/> for a given process id and run number (tests).</summary>
    public static string NewForRun(int processId, int run)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        string pid = (processId % 10_000_000).ToString("D7", CultureInfo.InvariantCulture);
        return "W" + pid + digits[(run % 36 + 36) % 36] + "A";
    }

    /// <summary>Live runs (demo, simulate to the group): fixes the configured session, or a new one of this run's own, in the configuration and returns it.</summary>
    public static string ForLiveRun(SimulatorConfig simulator)
    {
        if (simulator.Session.Length == 0) simulator.Session = NewForRun();
        return simulator.Session;
    }

    /// <summary>Files and in-process runs (simulate --out, bench): the configured session, or <see cref="Deterministic"/>.</summary>
    public static string ForFile(SimulatorConfig simulator) => simulator.Session.Length == 0 ? Deterministic : simulator.Session;
}
