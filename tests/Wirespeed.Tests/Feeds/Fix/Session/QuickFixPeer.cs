using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Wirespeed.Tests.Infrastructure;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>
/// A QuickFIX C++ test peer (tests/peers/quickfix, built by ./ws into build/quickfix) run as a child process: every
/// event it prints is kept as a line, commands go to its stdin. Missing binaries skip the test with the reason, and
/// fail it under CI=true.
/// </summary>
internal sealed class QuickFixPeer : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();

    private QuickFixPeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_lines) _lines.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_lines) _lines.Add("STDERR " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Directory =>
        Environment.GetEnvironmentVariable("WS_QUICKFIX_PEERS") is { Length: > 0 } dir ? dir : Path.Combine(SharedData.RepoRoot, "build", "quickfix");

    /// <summary>Starts <paramref name="program"/> (qf_acceptor or qf_initiator) on <paramref name="port"/>.</summary>
    public static QuickFixPeer Start(string program, int port)
    {
        string path = Path.Combine(Directory, program);
        Requires.That(File.Exists(path), $"QuickFIX C++ peer {path} is not built: run ./ws (it installs libquickfix-dev and builds tests/peers/quickfix with cmake)");
        string dictionary = Path.Combine(SharedData.RepoRoot, "tests", "peers", "quickfix", "FIX44.xml");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(port.ToString());
        info.ArgumentList.Add(dictionary);
        var peer = new QuickFixPeer(Process.Start(info)!);
        if (!peer.WaitFor(l => l == "READY", 30_000))
        {
            string transcript = peer.Transcript;
            peer.Dispose();   // a peer left running would hold its port for the rest of the run
            throw new InvalidOperationException($"{program} did not start:\n{transcript}");
        }
        return peer;
    }

    public void Command(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits until a line satisfies <paramref name="match"/>.</summary>
    public bool WaitFor(Func<string, bool> match, int timeoutMs = 10_000) => Wait.Until(() => Count(match) > 0, timeoutMs);

    public int Count(Func<string, bool> match)
    {
        lock (_lines)
        {
            int n = 0;
            foreach (var l in _lines) if (match(l)) n++;
            return n;
        }
    }

    /// <summary>Lines of <paramref name="evt"/> (e.g. "ADMIN_IN") whose message has MsgType <paramref name="msgType"/>
    /// and every "tag=value" in <paramref name="fields"/>.</summary>
    public static Func<string, bool> Message(string evt, string msgType, params string[] fields) => line =>
    {
        if (!line.StartsWith(evt + " ", StringComparison.Ordinal)) return false;
        string m = line.Substring(evt.Length + 1);
        if (SessionMessages.Field(m, 35) != msgType) return false;
        foreach (var f in fields) if (!("|" + m).Contains("|" + f + "|", StringComparison.Ordinal)) return false;
        return true;
    };

    public string Transcript
    {
        get { lock (_lines) return string.Join("\n", _lines); }
    }

    public void Dispose()
    {
        try
        {
            Command("quit");
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        catch (Exception) when (_process.HasExited) { }
        catch (IOException) { if (!_process.HasExited) _process.Kill(); }
        _process.Dispose();
    }
}
