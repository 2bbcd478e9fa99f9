using System;
using System.Net;

namespace Wirespeed.Configuration;

// monitor.metrics: the Prometheus endpoint's address. Parsed here once; whether it can be bound is known only when
// the command binds it (CommandSession), which fails with exit 3 naming this field.
public static partial class ConfigValidator
{
    private static void ValidateMetrics(MonitorConfig m)
    {
        NotNull(m.Metrics, "monitor.metrics");
        if (m.Metrics.Length == 0) return;
        Require(TryParseMetricsAddress(m.Metrics, out _), "monitor.metrics",
            $"'{m.Metrics}' is not HOST:PORT; write e.g. \"127.0.0.1:9464\", \"[::1]:9464\" or \":9464\" (every interface), port 0..65535, or \"\" for no endpoint.");
    }

    /// <summary>"HOST:PORT" with an IP address (IPv6 in brackets) or nothing before the colon (every interface).</summary>
    public static bool TryParseMetricsAddress(string text, out IPEndPoint address)
    {
        address = new IPEndPoint(IPAddress.Any, 0);
        if (text.StartsWith(':'))
        {
            if (!ushort.TryParse(text.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ushort port)) return false;
            address = new IPEndPoint(IPAddress.Any, port);
            return true;
        }
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;   // a port is required
        if (text.IndexOf(':') != colon && !text.StartsWith('[')) return false;   // IPv6 goes in brackets: [::1]:9464
        if (!IPEndPoint.TryParse(text, out var parsed) || parsed is null) return false;
        address = parsed;
        return true;
    }
}
