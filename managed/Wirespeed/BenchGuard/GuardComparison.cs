using System;
using System.Collections.Generic;
using System.Globalization;

namespace Wirespeed.BenchGuard;

/// <summary>One benchmark as measured by a guard run.</summary>
/// <param name="Name">The benchmark (GuardSuite.Names, or "reference").</param>
/// <param name="Unit">What one operation is (message, event, item).</param>
/// <param name="NsPerOp">Best (lowest) ns per operation over the repetitions.</param>
/// <param name="Ratio"><see cref="NsPerOp"/> ÷ the reference loop's best ns per operation in the same run.</param>
/// <param name="AllocatedBytes">Bytes allocated on the measuring thread inside the measured loops, all repetitions.</param>
/// <param name="Collections">GC collections (all generations) during the measured loops, all repetitions.</param>
public sealed record GuardSample(string Name, string Unit, double NsPerOp, double Ratio, long AllocatedBytes, int Collections);

public enum GuardOutcome : byte { Pass, Regressed, Allocates }

/// <summary>The verdict on one benchmark, and the line that says it.</summary>
public sealed record GuardFinding(string Name, GuardOutcome Outcome, string Line);

/// <summary>
/// Compares a guard run with the baseline. A benchmark regresses when its ratio exceeds the baseline ratio × (1 +
/// tolerance); allocation and GC count are exact gates (0 bytes, 0 collections in the measured loops), whatever the
/// baseline says. A measured benchmark without a baseline entry is an error, not a pass.
/// </summary>
public static class GuardComparison
{
    public static List<GuardFinding> Compare(IReadOnlyList<GuardSample> samples, GuardBaseline baseline, string baselinePath)
    {
        var missing = new List<string>();
        foreach (var s in samples)
            if (!baseline.Benchmarks.ContainsKey(s.Name)) missing.Add(s.Name);
        if (missing.Count > 0)
            throw new GuardBaselineException($"baseline {baselinePath} has no entry for {string.Join(", ", missing)}: record it with ./ws bench --check --update");

        var findings = new List<GuardFinding>(samples.Count);
        foreach (var s in samples)
        {
            var b = baseline.Benchmarks[s.Name];
            double limit = b.Ratio * (1 + baseline.Tolerance);
            string figures = $"ratio {F(s.Ratio)} (baseline {F(b.Ratio)}, tolerance +{baseline.Tolerance * 100:0}% → limit {F(limit)}); {s.NsPerOp:0.0} ns/{s.Unit}";
            if (s.AllocatedBytes != 0 || s.Collections != 0)
                findings.Add(new(s.Name, GuardOutcome.Allocates, $"ALLOCATES {s.Name}: {s.AllocatedBytes} bytes and {s.Collections} GC collections in the measured loop (must be 0 and 0); {figures}"));
            else if (s.Ratio > limit)
                findings.Add(new(s.Name, GuardOutcome.Regressed, $"REGRESSED {s.Name}: {figures}, {(s.Ratio / b.Ratio - 1) * 100:0}% slower than the baseline"));
            else
                findings.Add(new(s.Name, GuardOutcome.Pass, $"ok {s.Name}: {figures}{(s.Ratio < b.Ratio / (1 + baseline.Tolerance) ? "; faster than the baseline beyond the tolerance: re-record it with --update once the gain is confirmed" : "")}"));
        }
        return findings;
    }

    private static string F(double ratio) => ratio.ToString("0.000", CultureInfo.InvariantCulture);
}
