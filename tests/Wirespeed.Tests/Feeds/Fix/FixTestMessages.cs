using System;
using System.Text;
using Wirespeed.Feeds.Fix;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>
/// Builds test messages from readable text: fields separated by '|', BodyLength and CheckSum computed here by the
/// spec's definitions (independently of <see cref="FixWriter"/>), so a test can also corrupt either on purpose.
/// </summary>
internal static class FixTestMessages
{
    public const string Header44 = "49=SNDR|56=TRGT|34=12|52=20261207-23:30:00.123|";

    /// <summary>"8=begin|9=len|" + body + "10=ccc|", '|' turned into SOH. <paramref name="body"/> starts at 35= and ends with '|'.</summary>
    public static byte[] Msg(string body, string begin = "FIX.4.4", int lengthDelta = 0, int checkSumDelta = 0)
    {
        byte[] b = Encoding.ASCII.GetBytes(body.Replace('|', '\u0001'));
        byte[] head = Encoding.ASCII.GetBytes($"8={begin}\u00019={b.Length + lengthDelta}\u0001");
        var m = new byte[head.Length + b.Length + 7];
        head.CopyTo(m, 0);
        b.CopyTo(m, head.Length);
        int sum = 0;
        for (int i = 0; i < head.Length + b.Length; i++) sum += m[i];
        sum = ((sum + checkSumDelta) % 256 + 256) % 256;
        Encoding.ASCII.GetBytes($"10={sum:D3}\u0001").CopyTo(m, head.Length + b.Length);
        return m;
    }

    /// <summary>A message of type <paramref name="type"/> with the standard FIX 4.4 header and <paramref name="fields"/>.</summary>
    public static byte[] Body(string type, string fields, string begin = "FIX.4.4") => Msg($"35={type}|" + Header44 + fields, begin);

    /// <summary>'|'-delimited readable text of a message.</summary>
    public static string Text(ReadOnlySpan<byte> m) => Encoding.ASCII.GetString(m).Replace('\u0001', '|');

    public static string S(ReadOnlySpan<byte> v) => Encoding.ASCII.GetString(v);

    /// <summary>An incremental refresh (X) with <paramref name="entries"/> MDEntries: bid/offer levels of one symbol.</summary>
    public static byte[] Incremental(int entries, string begin = "FIX.4.4")
    {
        var sb = new StringBuilder($"262=req-1|268={entries}|");
        for (int i = 0; i < entries; i++)
            sb.Append($"279={i % 3}|269={i % 2}|55=EUR/USD|83={100 + i}|270=1.{8000 + i * 5:D5}|271={1_000_000 + i}|290={1 + i / 2}|");
        return Body("X", sb.ToString(), begin);
    }
}
