using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;

namespace Wirespeed.Tests.Integration;

/// <summary>
/// A program started by a test, its stdout and stderr collected as they come (so a test can wait for a line while the
/// program runs), signalled by number, and killed on Dispose if it is still running: a failing test leaves no process
/// behind (an XDP receiver killed this way leaves its program attached, which removing the veth pair clears).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    public ChildProcess(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }
    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => Stdout + "\n--- stderr ---\n" + Stderr;

    /// <summary>Waits until stdout contains <paramref name="text"/>; false when the program exited or the time ran out first.</summary>
    public bool WaitForStdout(string text, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (Stdout.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) { _process.WaitForExit(); return Stdout.Contains(text, StringComparison.Ordinal); }
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Waits for the exit and for the end of both streams; false on timeout.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit();   // drains the asynchronous readers
        return true;
    }

    /// <summary>Sends signal <paramref name="signal"/> (15 = SIGTERM) with kill(1).</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", ["-" + signal.ToString(CultureInfo.InvariantCulture), Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }   // exited in between
        _process.Dispose();
    }
}
