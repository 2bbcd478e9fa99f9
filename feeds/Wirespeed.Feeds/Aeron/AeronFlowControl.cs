using System;
using System.Globalization;

namespace Wirespeed.Feeds.Aeron;

/// <summary>The flow-control strategies of a publication (AERON.md §B.11).</summary>
public enum AeronFlowControlMode : byte
{
    /// <summary>Unicast and <c>fc=max</c>: the limit is the largest SM position + window seen; the fastest receiver paces.</summary>
    Max,
    /// <summary><c>fc=min</c>: the limit is the smallest position + window over live receivers (by receiver id).</summary>
    Min,
}

/// <summary>
/// <c>fc=max</c> or <c>fc=min[,t:&lt;timeout&gt;][,g:/&lt;minSize&gt;]</c> (§B.11). <c>tagged</c> is not implemented and
/// is refused with that reason.
/// </summary>
public readonly record struct AeronFlowControl(AeronFlowControlMode Mode, TimeSpan ReceiverTimeout, int MinReceivers)
{
    /// <summary>aeronmd's default receiver timeout for min flow control (§B.13): 5 s.</summary>
    public static readonly TimeSpan DefaultReceiverTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Max flow control: the default of unicast and multicast channels.</summary>
    public static AeronFlowControl Default => new(AeronFlowControlMode.Max, DefaultReceiverTimeout, 0);

    public static bool TryParse(string value, out AeronFlowControl fc, out string? error)
    {
        fc = Default;
        error = null;
        string[] parts = value.Split(',');
        AeronFlowControlMode mode;
        if (parts[0] == "max") mode = AeronFlowControlMode.Max;
        else if (parts[0] == "min") mode = AeronFlowControlMode.Min;
        else if (parts[0] == "tagged")
        {
            error = "tagged flow control is not implemented here; use fc=min (every receiver counts) or fc=max";
            return false;
        }
        else
        {
            error = $"'{parts[0]}' is not a strategy: write max or min[,t:5s][,g:/2]";
            return false;
        }
        TimeSpan timeout = DefaultReceiverTimeout;
        int minReceivers = 0;
        for (int i = 1; i < parts.Length; i++)
        {
            string p = parts[i];
            if (mode == AeronFlowControlMode.Max)
            {
                error = $"'{p}': max flow control takes no options; write fc=max, or fc=min,{p}";
                return false;
            }
            if (p.StartsWith("t:", StringComparison.Ordinal))
            {
                if (!AeronChannel.TryDuration(p.Substring(2), out timeout) || timeout <= TimeSpan.Zero)
                {
                    error = $"'{p}': the receiver timeout is a positive duration with its unit, e.g. t:5s";
                    return false;
                }
            }
            else if (p.StartsWith("g:/", StringComparison.Ordinal))
            {
                if (!int.TryParse(p.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out minReceivers) || minReceivers > AeronPublication.MaxReceivers)
                {
                    error = $"'{p}': the group size is a count from 0 to {AeronPublication.MaxReceivers}, e.g. g:/2";
                    return false;
                }
            }
            else
            {
                error = $"'{p}' is not an option of min flow control: write t:<timeout> or g:/<receivers>, e.g. fc=min,t:5s,g:/2";
                return false;
            }
        }
        fc = new AeronFlowControl(mode, timeout, minReceivers);
        return true;
    }

    public override string ToString()
        => Mode == AeronFlowControlMode.Max ? "max"
           : "min" + (ReceiverTimeout != DefaultReceiverTimeout ? $",t:{(long)ReceiverTimeout.TotalMilliseconds}ms" : "") + (MinReceivers > 0 ? $",g:/{MinReceivers}" : "");
}
