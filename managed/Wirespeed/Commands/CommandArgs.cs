using System;
using System.Collections.Generic;
using System.Globalization;

namespace Wirespeed.Commands;

/// <summary>
/// The arguments of one command: <c>--name value</c> options, <c>--flag</c> switches and positionals. Every option a
/// command reads must be declared, so a misspelt option fails with a message instead of being ignored.
/// </summary>
public sealed class CommandArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = new();
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CommandArgs(string command) => Command = command;

    public string Command { get; }

    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> are options that take no value.</summary>
    public static CommandArgs Parse(string command, ReadOnlySpan<string> args, params string[] flags)
    {
        var result = new CommandArgs(command);
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a.Substring(2);
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { value = name.Substring(eq + 1); name = name.Substring(0, eq); }
                else if (Array.IndexOf(flags, name) < 0)
                {
                    if (i + 1 >= args.Length) throw new UsageException($"{command}: option --{name} needs a value.");
                    value = args[++i];
                }
                result._options[name] = value;
            }
            else result._positionals.Add(a);
        }
        return result;
    }

    public bool Has(string name) { _read.Add(name); return _options.ContainsKey(name); }

    public string? String(string name) { _read.Add(name); return _options.TryGetValue(name, out var v) ? v : null; }

    public double? Double(string name)
    {
        string? s = String(name);
        if (s is null) return null;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsNaN(d))
            throw new UsageException($"{Command}: --{name} '{s}' is not a number.");
        return d;
    }

    /// <summary>A whole number; exact for every long (seeds, epoch nanoseconds). Suffixes k (×1,000) and M (×1,000,000).</summary>
    public long? Long(string name)
    {
        string? s = String(name);
        if (s is null) return null;
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long exact)) return exact;
        long mult = s.EndsWith('k') || s.EndsWith('K') ? 1_000 : s.EndsWith('m') || s.EndsWith('M') ? 1_000_000 : 0;
        if (mult != 0 && long.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
        {
            try { return checked(n * mult); }
            catch (OverflowException) { }
        }
        // Also "2.5M": a fraction is fine with a suffix when the product is whole.
        if (mult != 0 && decimal.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out decimal d))
        {
            decimal product = d * mult;
            if (product == decimal.Truncate(product) && product is >= long.MinValue and <= long.MaxValue) return (long)product;
        }
        throw new UsageException($"{Command}: --{name} '{s}' is not a whole number (suffixes k and M allowed, e.g. 2M).");
    }

    /// <summary>Fails when an option was given that the command never read (a typo, or an option of another command).</summary>
    public void RejectUnknown()
    {
        foreach (var k in _options.Keys)
            if (!_read.Contains(k)) throw new UsageException($"{Command}: unknown option --{k}. Run 'wirespeed help' for the options of each command.");
    }
}

/// <summary>Bad command line: printed with usage, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
