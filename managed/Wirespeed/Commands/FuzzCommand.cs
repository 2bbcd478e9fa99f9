using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Fuzzing;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed fuzz [--format F|all] [--cases N] [--seed S] [--jobs N] [--case-timeout SEC] [--out DIR] [--input FILE]</c>:
/// mutation fuzzing of the production parsers (configuration, pcap, ITCH files, .hlog, signal journal). Prints per
/// format the cases accepted, rejected by cause, crashed and hung, and the rate; exit 1 when any case crashed or hung.
/// With <c>--input</c>, runs that one file through the format's target and says what happened.
/// </summary>
internal static class FuzzCommand
{
    public static int Run(CommandArgs args, TextWriter output)
    {
        string format = args.String("format") ?? "all";
        long cases = args.Long("cases") ?? 10_000;
        long seed = args.Long("seed") ?? 1;
        double timeout = args.Double("case-timeout") ?? 10.0;
        string? outDir = args.String("out");
        string? input = args.String("input");
        bool minimize = !args.Has("no-minimize");
        long jobs = args.Long("jobs") ?? 1;
        args.RejectUnknown();
        if (args.Positionals.Count != 0) throw new UsageException("fuzz: takes no positional arguments (the seeds come from the repository and ../shared/data).");
        if (cases < 1) throw new UsageException($"fuzz: --cases {cases} must be at least 1.");
        if (timeout is <= 0 or > 3600) throw new UsageException($"fuzz: --case-timeout {timeout} must be a number of seconds in (0, 3600].");
        string[] formats = format == "all" ? FuzzCorpus.Formats : new[] { format };
        if (format != "all" && Array.IndexOf(FuzzCorpus.Formats, format) < 0)
            throw new UsageException($"fuzz: --format '{format}' must be one of: {string.Join(", ", FuzzCorpus.Formats)}, all.");
        if (jobs is < 0 or > 1024) throw new UsageException($"fuzz: --jobs {jobs} must be 0 (one per CPU) to 1024.");
        if (jobs == 0) jobs = Environment.ProcessorCount;
        if (outDir is not null) CheckOutDirectory(outDir);

        string? root = FuzzCorpus.FindRepoRoot();
        string? shared = FuzzCorpus.FindSharedData(root);
        if (input is not null)
        {
            if (format == "all") throw new UsageException("fuzz: --input needs --format, e.g. --format pcap --input crash-1.pcap");
            if (!File.Exists(input)) throw new UsageException($"fuzz: --input file '{input}' does not exist.");
            return RunOne(FuzzCorpus.Create(format, root, shared), File.ReadAllBytes(input), input, output);
        }

        var results = new List<FuzzResult>();
        foreach (string f in formats)
        {
            IFuzzTarget probe = FuzzCorpus.Create(f, root, shared);
            int seeds = probe.Seeds.Count;
            (probe as IDisposable)?.Dispose();
            output.WriteLine($"fuzz {f}: {cases:N0} cases from {seeds} seed input(s), seed {seed}, {jobs} job(s), case limit {timeout:0.###} s ...");
            output.Flush();
            var options = new FuzzOptions
            {
                Cases = cases, Seed = unchecked((ulong)seed), CaseLimit = TimeSpan.FromSeconds(timeout), OutDirectory = outDir,
                Minimize = minimize, Jobs = (int)jobs,
            };
            results.Add(new FuzzRunner(() => FuzzCorpus.Create(f, root, shared), options).Run());
        }
        output.WriteLine();
        FuzzResult.Print(results, output);
        bool clean = results.TrueForAll(r => r.Clean);
        output.WriteLine();
        output.WriteLine(clean ? "fuzz: no crash, no hang" : "fuzz: FAILED: crashes or hangs above (inputs saved with --out DIR; rerun one with --input FILE)");
        return clean ? 0 : 1;
    }

    private static int RunOne(IFuzzTarget target, byte[] bytes, string path, TextWriter output)
    {
        try
        {
            string? cause = target.Run(bytes);
            output.WriteLine(cause is null ? $"{path}: accepted ({target.Format})" : $"{path}: rejected ({target.Format}): {cause}");
            return 0;
        }
        catch (Exception e)
        {
            output.WriteLine($"{path}: CRASH ({target.Format}): {e}");
            return 1;
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    private static void CheckOutDirectory(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, ".wirespeed-write-test");
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"fuzz: --out '{dir}' is not a writable directory ({e.Message}); pass a folder you can write to.");
        }
    }
}
