using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Wirespeed.Fuzzing;

/// <summary>One distinct crash: an exception type escaping the target at one place in the code.</summary>
public sealed class FuzzCrash
{
    public required string Signature { get; init; }
    public required string ExceptionType { get; init; }
    public required string Message { get; init; }
    /// <summary>The first frames of the stack trace.</summary>
    public required string StackTop { get; init; }
    /// <summary>Case number of the first input that raised it.</summary>
    public long FirstCase { get; init; }
    /// <summary>The first input that raised it (smallest after minimisation).</summary>
    public required byte[] Input { get; set; }
    /// <summary>Cases that raised it.</summary>
    public long Count { get; set; }
    /// <summary>Where the input was saved, or null.</summary>
    public string? SavedAs { get; set; }
}

/// <summary>What one format's run found: every case is accepted, rejected with a cause, a crash or a hang.</summary>
public sealed class FuzzResult
{
    public FuzzResult(string format) => Format = format;

    public string Format { get; }
    public long Cases { get; set; }
    public long Accepted { get; set; }
    public long Rejected { get; set; }
    /// <summary>Rejected cases by cause (each case counted once, under its first cause).</summary>
    public Dictionary<string, long> RejectedByCause { get; } = new(StringComparer.Ordinal);
    /// <summary>Distinct crashes by signature.</summary>
    public Dictionary<string, FuzzCrash> Crashes { get; } = new(StringComparer.Ordinal);
    /// <summary>Cases that raised an exception.</summary>
    public long CrashCases { get; set; }
    /// <summary>Cases that ran past the time limit (the run of this format stops at the first one).</summary>
    public long Hangs { get; set; }
    /// <summary>The input that hung, or null.</summary>
    public byte[]? HangInput { get; set; }
    public long HangCase { get; set; } = -1;
    public string? HangSavedAs { get; set; }
    public double Seconds { get; set; }
    public double CasesPerSecond => Seconds > 0 ? Cases / Seconds : 0;
    public bool Clean => CrashCases == 0 && Hangs == 0;

    /// <summary>The table: one row per format, then the causes of rejection and every crash and hang.</summary>
    public static void Print(IReadOnlyList<FuzzResult> results, TextWriter o, int causesShown = 12)
    {
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine($"{"format",-8} {"cases",12} {"accepted",12} {"rejected",12} {"crashes",8} {"hangs",6} {"cases/s",10} {"seconds",8}");
        foreach (var r in results)
            o.WriteLine(string.Format(ci, "{0,-8} {1,12:N0} {2,12:N0} {3,12:N0} {4,8:N0} {5,6:N0} {6,10:N0} {7,8:F1}",
                r.Format, r.Cases, r.Accepted, r.Rejected, r.CrashCases, r.Hangs, r.CasesPerSecond, r.Seconds));
        foreach (var r in results)
        {
            o.WriteLine();
            o.WriteLine($"{r.Format}: rejected by cause ({r.RejectedByCause.Count} cause(s))");
            var causes = r.RejectedByCause.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            long rest = 0;
            for (int i = 0; i < causes.Count; i++)
            {
                if (i < causesShown) o.WriteLine(string.Format(ci, "  {0,12:N0}  {1}", causes[i].Value, causes[i].Key));
                else rest += causes[i].Value;
            }
            if (rest > 0) o.WriteLine(string.Format(ci, "  {0,12:N0}  ({1} other causes)", rest, causes.Count - causesShown));
            foreach (var c in r.Crashes.Values)
            {
                o.WriteLine(string.Format(ci, "  CRASH x{0:N0}: {1}: {2}", c.Count, c.ExceptionType, c.Message));
                o.WriteLine($"    first at case {c.FirstCase}, {c.Input.Length} byte input{(c.SavedAs is null ? "" : " saved as " + c.SavedAs)}");
                foreach (var line in c.StackTop.Split('\n')) o.WriteLine("    " + line.TrimEnd());
            }
            if (r.Hangs > 0)
                o.WriteLine($"  HANG at case {r.HangCase} ({r.HangInput?.Length ?? 0} byte input{(r.HangSavedAs is null ? "" : " saved as " + r.HangSavedAs)}); this format's run stopped there");
        }
    }
}
