using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Wirespeed.BenchGuard;
using Wirespeed.Hosting.Platform;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed bench --check [--update] [--baseline F] [--reps N] [--quick] [--tolerance T] [--plant NAME]</c>: the
/// regression guard. Re-runs the guarded measurements (BenchGuard/GuardSuite.cs), compares each one's ratio to the
/// reference loop with the baseline file and exits 1 with a line per regressed or allocating benchmark; --update
/// rewrites the baseline from this run instead. --plant slows one benchmark's loop on purpose (the guard's own test).
/// Exit codes: 0 pass (or baseline written), 1 a regression or an allocation, 2 a usage or baseline-file error.
/// </summary>
internal static class BenchCheckCommand
{
    public const string DefaultBaseline = "perf/baseline.json";
    public const int DefaultRepetitions = 7;

    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        bool update = args.Has("update");
        string path = args.String("baseline") ?? DefaultBaseline;
        bool quick = args.Has("quick");
        long reps = args.Long("reps") ?? DefaultRepetitions;
        double? tolerance = args.Double("tolerance");
        string? plant = args.String("plant");
        args.RejectUnknown();
        if (reps is < 1 or > 100) throw new UsageException("bench --check: --reps must be 1..100.");
        if (tolerance != null && !update) throw new UsageException("bench --check: --tolerance is recorded in the baseline; give it with --update.");
        if (tolerance is <= 0 or > 10) throw new UsageException("bench --check: --tolerance must be > 0 and ≤ 10 (a fraction: 0.3 allows 30 % slower).");
        if (plant != null && Array.IndexOf(GuardSuite.Names, plant) < 0)
            throw new UsageException($"bench --check: --plant {plant}: not a guarded benchmark; use one of {string.Join(", ", GuardSuite.Names)}.");
        var scale = quick ? GuardScale.Quick : GuardScale.Full;

        GuardBaseline? baseline = null;
        try
        {
            if (!update || File.Exists(path)) baseline = GuardBaseline.Load(path);
            if (!update && baseline!.Scale != scale.Name)
                throw new GuardBaselineException($"baseline {path} was recorded at {baseline.Scale} scale and this run is {scale.Name}: run with{(baseline.Scale == "quick" ? "" : "out")} --quick, or re-record with --update");
        }
        catch (GuardBaselineException e) when (!update)
        {
            error.WriteLine("wirespeed: bench --check: " + e.Message);
            return 2;
        }
        catch (GuardBaselineException)
        {
            baseline = null;   // --update over an unreadable file: it is rewritten
        }

        string machine = MachineSpec.Describe();
        output.WriteLine($"wirespeed bench --check on {machine}");
        List<GuardSample> samples;
        using (var suite = new GuardSuite(scale, plant))
        {
            output.WriteLine($"  {suite.Describe()}; best of {reps} interleaved rounds{(plant != null ? $"; PLANTED regression in {plant}" : "")}");
            samples = suite.Measure((int)reps);
        }
        var reference = samples[0];
        output.WriteLine($"  reference (FNV-1a, 64-byte blocks): {reference.NsPerOp:0.0} ns/64B");
        samples.RemoveAt(0);

        if (update)
        {
            var entries = new Dictionary<string, GuardBaselineEntry>(StringComparer.Ordinal);
            foreach (var s in samples) entries[s.Name] = new GuardBaselineEntry(s.Ratio, s.NsPerOp, s.Unit);
            var written = new GuardBaseline(tolerance ?? baseline?.Tolerance ?? GuardBaseline.DefaultTolerance, scale.Name, (int)reps,
                DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), machine, entries);
            written.Write(path, GuardSuite.Names);
            bool clean = true;
            foreach (var s in samples)
            {
                bool allocates = s.AllocatedBytes != 0 || s.Collections != 0;
                clean &= !allocates;
                output.WriteLine($"  {(allocates ? "ALLOCATES " : "")}{s.Name}: ratio {s.Ratio.ToString("0.000", CultureInfo.InvariantCulture)}, {s.NsPerOp:0.0} ns/{s.Unit}; {s.AllocatedBytes} bytes, {s.Collections} GC collections in the measured loop");
            }
            output.WriteLine($"bench --check: baseline written to {path} (tolerance +{written.Tolerance * 100:0}%)");
            return clean ? 0 : 1;
        }

        List<GuardFinding> findings;
        try { findings = GuardComparison.Compare(samples, baseline!, path); }
        catch (GuardBaselineException e)
        {
            error.WriteLine("wirespeed: bench --check: " + e.Message);
            return 2;
        }
        int failed = 0;
        foreach (var f in findings)
        {
            output.WriteLine("  " + f.Line);
            if (f.Outcome != GuardOutcome.Pass) failed++;
        }
        output.WriteLine(failed == 0
            ? $"bench --check: PASS, {findings.Count} benchmarks within +{baseline!.Tolerance * 100:0}% of {path} (recorded {baseline.Recorded})"
            : $"bench --check: FAILED, {failed} of {findings.Count} benchmarks regressed or allocated (baseline {path}, recorded {baseline!.Recorded})");
        return failed == 0 ? 0 : 1;
    }
}
