using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace Wirespeed.Fuzzing;

/// <summary>How one format is fuzzed.</summary>
public sealed record FuzzOptions
{
    /// <summary>Cases to run. Default: 10,000.</summary>
    public long Cases { get; init; } = 10_000;
    /// <summary>Seed of the mutations: equal seed, equal inputs. Default: 1.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>A case running longer than this is a hang. Default: 2 s.</summary>
    public TimeSpan CaseLimit { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Folder for crashing and hanging inputs (a sub-folder per format), or null to keep them in memory only.</summary>
    public string? OutDirectory { get; init; }
    /// <summary>Shrink each distinct crash's input to a smaller one that still raises it. Default: true.</summary>
    public bool Minimize { get; init; } = true;
}

/// <summary>
/// Runs one target over its mutated cases on a worker thread while the calling thread watches the clock: a case that
/// exceeds <see cref="FuzzOptions.CaseLimit"/> is a hang, reported with its input (the stuck worker, a background
/// thread, is abandoned and the format's run ends there). Exceptions escaping the target are crashes, grouped by type
/// and place, each kept with its first input.
/// </summary>
public sealed class FuzzRunner
{
    private const int StackFrames = 4;
    private readonly IFuzzTarget _target;
    private readonly FuzzOptions _options;
    private readonly Mutator _mutator;
    private readonly object _gate = new();
    private readonly FuzzResult _result;
    private long _caseStartTicks;          // Stopwatch ticks when the running case began; 0 between cases
    private byte[]? _running;
    private long _runningCase = -1;
    private volatile bool _abandoned;

    public FuzzRunner(IFuzzTarget target, FuzzOptions options)
    {
        _target = target;
        _options = options;
        _mutator = new Mutator(target.Seeds, target.MaxBytes, target.Structured);
        _result = new FuzzResult(target.Format);
    }

    /// <summary>Runs every case; returns what was found.</summary>
    public FuzzResult Run()
    {
        var clock = Stopwatch.StartNew();
        var worker = new Thread(Work) { IsBackground = true, Name = "fuzz-" + _target.Format };
        worker.Start();
        long limitTicks = (long)(_options.CaseLimit.TotalSeconds * Stopwatch.Frequency);
        while (!worker.Join(50))
        {
            long started = Interlocked.Read(ref _caseStartTicks);
            if (started == 0 || Stopwatch.GetTimestamp() - started <= limitTicks) continue;
            lock (_gate)
            {
                _abandoned = true;
                _result.Hangs++;
                _result.HangInput = _running;
                _result.HangCase = _runningCase;
            }
            break;
        }
        lock (_gate)
        {
            _result.Seconds = clock.Elapsed.TotalSeconds;
            if (_result.HangInput is not null) _result.HangSavedAs = Save(_result.HangInput, "hang-case" + _result.HangCase);
            int n = 0;
            foreach (var crash in _result.Crashes.Values) crash.SavedAs = Save(crash.Input, $"crash-{++n}", Describe(crash));
            return _result;
        }
    }

    private void Work()
    {
        for (long i = 0; i < _options.Cases && !_abandoned; i++)
        {
            byte[] input = _mutator.CaseInput(_options.Seed, i);
            Outcome(i, input, RunCase(i, input, out var error), error);
        }
        if (!_options.Minimize) return;
        foreach (var crash in Snapshot())
        {
            if (_abandoned) return;
            byte[] smaller = Shrink(crash);
            lock (_gate) crash.Input = smaller;
        }
    }

    /// <summary>Runs one case under the watchdog: the cause of rejection (null: accepted), or the exception it raised.</summary>
    private string? RunCase(long index, byte[] input, out Exception? error)
    {
        error = null;
        lock (_gate) { _running = input; _runningCase = index; }
        Interlocked.Exchange(ref _caseStartTicks, Stopwatch.GetTimestamp());
        try
        {
            return _target.Run(input);
        }
        catch (Exception e)
        {
            error = e;
            return null;
        }
        finally
        {
            Interlocked.Exchange(ref _caseStartTicks, 0);
        }
    }

    private void Outcome(long index, byte[] input, string? cause, Exception? error)
    {
        lock (_gate)
        {
            if (_abandoned) return;
            _result.Cases++;
            if (error is not null)
            {
                _result.CrashCases++;
                string signature = Signature(error);
                if (_result.Crashes.TryGetValue(signature, out var known)) known.Count++;
                else _result.Crashes[signature] = new FuzzCrash
                {
                    Signature = signature, ExceptionType = error.GetType().FullName ?? error.GetType().Name,
                    Message = OneLine(error.Message), StackTop = StackTop(error), FirstCase = index, Input = input, Count = 1,
                };
            }
            else if (cause is null) _result.Accepted++;
            else
            {
                _result.Rejected++;
                _result.RejectedByCause[cause] = _result.RejectedByCause.TryGetValue(cause, out long c) ? c + 1 : 1;
            }
        }
    }

    private FuzzCrash[] Snapshot()
    {
        lock (_gate)
        {
            var list = new FuzzCrash[_result.Crashes.Count];
            _result.Crashes.Values.CopyTo(list, 0);
            return list;
        }
    }

    /// <summary>
    /// Greedy delta reduction: removes chunks (halves down to single bytes) while the same crash signature still
    /// comes out. At most a few thousand runs, so it ends quickly even for large inputs.
    /// </summary>
    private byte[] Shrink(FuzzCrash crash)
    {
        byte[] best = crash.Input;
        int budget = 3000;
        for (int chunk = Math.Max(1, best.Length / 2); chunk >= 1 && budget > 0; chunk /= 2)
        {
            for (int at = 0; at + chunk <= best.Length && budget > 0 && !_abandoned;)
            {
                budget--;
                byte[] candidate = Mutator.Concat(best.AsSpan(0, at), best.AsSpan(at + chunk));
                RunCase(crash.FirstCase, candidate, out var error);
                if (error is not null && Signature(error) == crash.Signature) best = candidate;
                else at += chunk;
            }
        }
        return best;
    }

    /// <summary>Exception type and the first frame of the stack: one bug, one signature.</summary>
    internal static string Signature(Exception e)
    {
        string first = FirstFrame(e);
        return e.GetType().FullName + " @ " + first;
    }

    private static string FirstFrame(Exception e)
    {
        string trace = e.StackTrace ?? "";
        int end = trace.IndexOf('\n');
        string line = (end < 0 ? trace : trace.Substring(0, end)).Trim();
        int file = line.IndexOf(" in ", StringComparison.Ordinal);
        return file < 0 ? line : line.Substring(0, file);
    }

    private static string StackTop(Exception e)
    {
        string[] lines = (e.StackTrace ?? "(no stack trace)").Split('\n');
        var sb = new StringBuilder();
        for (int i = 0; i < Math.Min(lines.Length, StackFrames); i++) sb.Append(i == 0 ? "" : "\n").Append(lines[i].Trim());
        return sb.ToString();
    }

    private static string OneLine(string s)
    {
        s = s.Replace('\n', ' ').Replace('\r', ' ');
        return s.Length <= 300 ? s : s.Substring(0, 300) + "…";
    }

    private string Describe(FuzzCrash c) =>
        $"format: {_target.Format}\nexception: {c.ExceptionType}: {c.Message}\ncases: {c.Count} (first: case {c.FirstCase} of seed {_options.Seed})\n" +
        $"input: {c.Input.Length} bytes\nstack:\n{c.StackTop}\nreproduce: wirespeed fuzz --format {_target.Format} --input <this input>\n";

    private string? Save(byte[] input, string name, string? description = null)
    {
        if (_options.OutDirectory is null) return null;
        string dir = Path.Combine(_options.OutDirectory, _target.Format);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name + _target.Extension);
        File.WriteAllBytes(path, input);
        if (description is not null) File.WriteAllText(Path.Combine(dir, name + ".txt"), description);
        return path;
    }
}
