using System.IO;
using Wirespeed.Configuration;

namespace Wirespeed.Commands;

/// <summary><c>wirespeed check-config FILE [--print]</c>: validates a configuration file and says what is wrong, by field.</summary>
internal static class CheckConfigCommand
{
    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        bool print = args.Has("print");
        args.RejectUnknown();
        WirespeedConfig config;   // resolved as run resolves it: the same checks, the same mapping, the same plan
        if (args.Positionals.Count == 0) config = ConfigValidator.Resolve(new WirespeedConfig()).Config;
        else if (args.Positionals.Count == 1) config = ConfigLoader.Resolve(args.Positionals[0]).Config;
        else throw new UsageException("check-config: give one file (or none to check the embedded default).");
        output.WriteLine($"configuration OK: {(args.Positionals.Count == 0 ? "embedded default" : args.Positionals[0])} " +
                         $"({config.Lines.Count} line(s), topology {ConfigNames.Topologies.Of(config.Pipeline.Topology)}, {config.Pipeline.Workers.Count} worker(s); " +
                         $"patterns {(config.Patterns.Enabled ? "on" : "off")}: {config.Patterns.Definitions.Count} definition(s) on {config.Patterns.Workers} worker(s))");
        if (print) output.WriteLine(ConfigLoader.ToJson(config));
        return 0;
    }
}
