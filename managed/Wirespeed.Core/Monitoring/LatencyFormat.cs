using System.Globalization;

namespace Wirespeed.Core.Monitoring;

/// <summary>How latencies read in terminals: ns below 10 µs, µs above (one decimal), so the unit says the scale.</summary>
public static class LatencyFormat
{
    /// <summary>"850 ns", "9999 ns", "12.3 µs", "1520.0 µs".</summary>
    public static string Ns(long ns) => ns < 10_000
        ? ns.ToString(CultureInfo.InvariantCulture) + " ns"
        : (ns / 1000.0).ToString("F1", CultureInfo.InvariantCulture) + " µs";

    /// <summary>As <see cref="Ns(long)"/> for a mean.</summary>
    public static string Ns(double ns) => ns < 10_000
        ? ns.ToString("F0", CultureInfo.InvariantCulture) + " ns"
        : (ns / 1000.0).ToString("F1", CultureInfo.InvariantCulture) + " µs";
}
