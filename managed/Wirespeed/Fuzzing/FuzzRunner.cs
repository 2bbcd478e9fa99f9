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
    /// <summary>A case running longer than this is a hang. Default: 10 s: the heaviest legitimate cases (an .hlog of
    /// 5-digit histograms, 0.3 s alone) passed 2 s on a loaded 2-core machine during a garbage collection, while a real
    /// endless loop is caught at any limit.</summary>
    public TimeSpan CaseLimit { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Folder for crashing and hanging inputs (a sub-folder per format), or null to keep them in memory only.</summary>
    public string? OutDirectory { get; init; }
    /// <summary>Shrink each distinct crash's input to a smaller one that still raises it. Default: true.</summary>
    public bool Minimize { get; init; } = true;
    /// <summary>Worker threads, each with its own target; case i runs on worker i mod Jobs, so the cases and their
    /// outcomes are the same for any number of workers. Default: 1.</summary>
    public int Jobs { get; init; } = 1;
}

/// <summary>
/// Runs one format's cases on worker threads (each with its own target instance) while the calling thread watches the
/// clock: a case that exceeds <see cref="FuzzOptions.CaseLimit"/> is a hang, reported with its input (the stuck
/// worker, a background thread, is abandoned and the format's run ends there). Exceptions escaping the target are
/// crashes, grouped by type and place, each kept with its lowest-numbered input (then shrunk).
/// </summary>
public sealed class FuzzRunner
{
    private const int StackFrames = 4;
    private readonly Func<IFuzzTarget> _create;
    private readonly FuzzOptions _options;
    private readonly object _gate = new();
    private readonly FuzzResult _result;
    private readonly string _format;
    private readonly string _extension;
    private volatile bool _abandoned;
    private Exception? _mutationFault;

    /// <summary>What one worker is running: read by the watchdog.</summary>
    private sealed class Worker
    {
        public long CaseStartTicks;   // Stopwatch ticks when the running case began; 0 between cases
        public byte[]? Running;
        public long RunningCase = -1;
        public IFuzzTarget? Target;
    }

    /// <param name="create">Makes one target instance (one per worker; targets are single-threaded).</param>
    /// <param name="options">Cases, seed, limits.</param>
    public FuzzRunner(Func<IFuzzTarget> create, FuzzOptions options)
    {
        _create = create;
        _options = options;
        var probe = create();
        _format = probe.Format;
        _extension = probe.Extension;
        (probe as IDisposable)?.Dispose();
        _result = new FuzzResult(_format);
    }

    /// <summary>Runs every case; returns what was found.</summary>
    public FuzzResult Run()
    {
        var clock = Stopwatch.StartNew();
        int jobs = (int)Math.Clamp(_options.Jobs, 1, Math.Max(1, _options.Cases));
        var workers = new Worker[jobs];
        for (int w = 0; w < jobs; w++) workers[w] = new Worker();
        try
        {
            bool finished = Watch(workers, w => Cases(workers[w], w, jobs));
            lock (_gate) _result.Seconds = clock.Elapsed.TotalSeconds;
            if (_mutationFault is not null) throw _mutationFault;
            if (finished && _options.Minimize && _result.Crashes.Count > 0)
                Watch(new[] { workers[0] }, _ => Shrink(workers[0]));
        }
        finally
        {
            foreach (var w in workers)
                if (_result.Hangs == 0) (w.Target as IDisposable)?.Dispose(); // a hung worker still uses its target
        }
        lock (_gate)
        {
            if (_result.HangInput is not null) _result.HangSavedAs = Save(_result.HangInput, "hang-case" + _result.HangCase);
            int n = 0;
            foreach (var crash in _result.Crashes.Values) crash.SavedAs = Save(crash.Input, $"crash-{++n}", Describe(crash));
            return _result;
        }
    }

    /// <summary>Runs <paramref name="body"/> for each worker on its own thread and watches the clock; false after a hang.</summary>
    private bool Watch(Worker[] workers, Action<int> body)
    {
        var threads = new Thread[workers.Length];
        for (int w = 0; w < workers.Length; w++)
        {
            int index = w;
            threads[w] = new Thread(() => body(index)) { IsBackground = true, Name = $"fuzz-{_format}-{w}" };
            threads[w].Start();
        }
        long limitTicks = (long)(_options.CaseLimit.TotalSeconds * Stopwatch.Frequency);
        foreach (var thread in threads)
        {
            while (!thread.Join(50))
            {
                foreach (var w in workers)
                {
                    long started = Interlocked.Read(ref w.CaseStartTicks);
                    if (started == 0 || Stopwatch.GetTimestamp() - started <= limitTicks) continue;
                    lock (_gate)
                    {
                        _abandoned = true;
                        _result.Hangs++;
                        _result.HangInput = w.Running;
                        _result.HangCase = w.RunningCase;
                    }
                    return false;
                }
            }
        }
        return true;
    }

    private void Cases(Worker worker, int first, int stride)
    {
        worker.Target = _create();
        var mutator = new Mutator(worker.Target.Seeds, worker.Target.MaxBytes, worker.Target.Structured);
        for (long i = first; i < _options.Cases && !_abandoned; i += stride)
        {
            byte[] input;
            try
            {
                input = mutator.CaseInput(_options.Seed, i);
            }
            catch (Exception e)
            {
                // A fault of the fuzzer's own mutations, not of the code under test: stop and say so (an exception
                // escaping this thread would end the process without a report).
                lock (_gate) _mutationFault ??= new InvalidOperationException($"fuzz {_format}: the mutation of case {i} (seed {_options.Seed}) failed: {e.Message}", e);
                _abandoned = true;
                return;
            }
            Outcome(i, input, RunCase(worker, i, input, out var error), error);
        }
    }

    /// <summary>Runs one case under the watchdog: the cause of rejection (null: accepted), or the exception it raised.</summary>
    private static string? RunCase(Worker worker, long index, byte[] input, out Exception? error)
    {
        error = null;
        Volatile.Write(ref worker.Running, input);
        Volatile.Write(ref worker.RunningCase, index);
        Interlocked.Exchange(ref worker.CaseStartTicks, Stopwatch.GetTimestamp());
        try
        {
            return worker.Target!.Run(input);
        }
        catch (Exception e)
        {
            error = e;
            return null;
        }
        finally
        {
            Interlocked.Exchange(ref worker.CaseStartTicks, 0);
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
                if (_result.Crashes.TryGetValue(signature, out var known))
                {
                    known.Count++;
                    if (index < known.FirstCase) _result.Crashes[signature] = New(error, signature, index, input, known.Count);
                }
                else _result.Crashes[signature] = New(error, signature, index, input, 1);
            }
            else if (cause is null) _result.Accepted++;
            else
            {
                _result.Rejected++;
                _result.RejectedByCause[cause] = _result.RejectedByCause.TryGetValue(cause, out long c) ? c + 1 : 1;
            }
        }
    }

    private static FuzzCrash New(Exception error, string signature, long index, byte[] input, long count) => new()
    {
        Signature = signature, ExceptionType = error.GetType().FullName ?? error.GetType().Name,
        Message = OneLine(error.Message), StackTop = StackTop(error), FirstCase = index, Input = input, Count = count,
    };

    /// <summary>
    /// Greedy delta reduction of every distinct crash: removes chunks (halves down to single bytes) while the same
    /// signature still comes out. At most a few thousand runs each, so it ends quickly even for large inputs.
    /// </summary>
    private void Shrink(Worker worker)
    {
        FuzzCrash[] crashes;
        lock (_gate)
        {
            crashes = new FuzzCrash[_result.Crashes.Count];
            _result.Crashes.Values.CopyTo(crashes, 0);
        }
        foreach (var crash in crashes)
        {
            RunCase(worker, crash.FirstCase, crash.Input, out var first);
            if (first is null) continue; // raised only after earlier cases: kept as found
            string key = ShrinkKey(first);
            byte[] best = crash.Input;
            int budget = 3000;
            // Structure first (whole JSON properties, largest first), then byte chunks. After a success the larger
            // reductions that failed before are not tried again: the next pass resumes at the same place.
            for (int skip = 0, tried = -1; tried != 0 && budget > 0 && !_abandoned;)
            {
                tried = 0;
                int index = 0;
                foreach (byte[] candidate in worker.Target!.Structured?.Reductions(best) ?? Array.Empty<byte[]>())
                {
                    if (index++ < skip) continue;
                    if (--budget <= 0 || _abandoned) break;
                    RunCase(worker, crash.FirstCase, candidate, out var error);
                    if (error is null || ShrinkKey(error) != key) continue;
                    best = candidate;
                    skip = index - 1;
                    tried = 1;
                    break;
                }
            }
            for (int chunk = Math.Max(1, best.Length / 2); chunk >= 1 && budget > 0; chunk /= 2)
            {
                for (int at = 0; at + chunk <= best.Length && budget > 0 && !_abandoned;)
                {
                    budget--;
                    byte[] candidate = Mutator.Concat(best.AsSpan(0, at), best.AsSpan(at + chunk));
                    RunCase(worker, crash.FirstCase, candidate, out var error);
                    if (error is not null && ShrinkKey(error) == key) best = candidate;
                    else at += chunk;
                }
            }
            lock (_gate) crash.Input = best;
        }
        lock (_gate) MergeSameInputs();
    }

    /// <summary>Crashes whose inputs shrank to the same bytes are one bug seen at two lines: one entry, counts summed.</summary>
    private void MergeSameInputs()
    {
        var kept = new System.Collections.Generic.List<FuzzCrash>();
        foreach (var c in new System.Collections.Generic.List<FuzzCrash>(_result.Crashes.Values))
        {
            var same = kept.Find(k => k.ExceptionType == c.ExceptionType && k.Input.AsSpan().SequenceEqual(c.Input));
            if (same is null) kept.Add(c);
            else
            {
                same.Count += c.Count;
                _result.Crashes.Remove(c.Signature);
            }
        }
    }

    /// <summary>
    /// Exception type, the method that threw and the source line: one bug, one signature. The line comes from the .pdb
    /// and can move by a statement between JIT tiers (one bug then shows under two lines until shrinking merges them);
    /// a NativeAOT binary has no lines, so there one method is one signature.
    /// </summary>
    internal static string Signature(Exception e)
    {
        TopFrame(e, out string? file);
        return file is null ? ShrinkKey(e) : ShrinkKey(e) + " [" + file + "]";
    }

    /// <summary>Exception type and throwing method, without the line: what a smaller input must still raise.</summary>
    internal static string ShrinkKey(Exception e) => e.GetType().FullName + " @ " + TopFrame(e, out _);

    private static string TopFrame(Exception e, out string? file)
    {
        string trace = e.StackTrace ?? "";
        int end = trace.IndexOf('\n');
        string line = (end < 0 ? trace : trace.Substring(0, end)).Trim();
        int at = line.IndexOf(" in ", StringComparison.Ordinal);
        file = at < 0 ? null : Path.GetFileName(line.Substring(at + 4));
        return at < 0 ? line : line.Substring(0, at);
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
        $"format: {_format}\nexception: {c.ExceptionType}: {c.Message}\ncases: {c.Count} (first: case {c.FirstCase} of seed {_options.Seed})\n" +
        $"input: {c.Input.Length} bytes\nstack:\n{c.StackTop}\nreproduce: wirespeed fuzz --format {_format} --input <this input>\n";

    private string? Save(byte[] input, string name, string? description = null)
    {
        if (_options.OutDirectory is null) return null;
        string dir = Path.Combine(_options.OutDirectory, _format);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name + _extension);
        File.WriteAllBytes(path, input);
        if (description is not null) File.WriteAllText(Path.Combine(dir, name + ".txt"), description);
        return path;
    }
}
