
namespace Wirespeed.Hosting.Reporting;

/// <summary>Counter names for summaries: "GapMessages" or "leadLag" → "gap_messages" / "lead_lag" (cold path).</summary>
internal static class SnakeCase
{
    public static string Of(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char ch = name[i];
            if (char.IsUpper(ch) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }
}
