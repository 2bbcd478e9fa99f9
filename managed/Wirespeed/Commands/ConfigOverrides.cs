using Wirespeed.Configuration;

namespace Wirespeed.Commands;

/// <summary>Loads the configuration (--config or the embedded default) and applies the command-line overrides shared by commands.</summary>
internal static class ConfigOverrides
{
    /// <summary>--config FILE, or the embedded default; no other option.</summary>
    public static WirespeedConfig LoadFile(CommandArgs args)
    {
        string? path = args.String("config");
        return path is null ? ConfigLoader.Default() : ConfigLoader.Load(path);
    }

    /// <summary>--config FILE or the embedded default, read but not yet validated (overrides come first, then one validation).</summary>
    private static WirespeedConfig ReadFile(CommandArgs args)
        => args.String("config") is string path ? ConfigLoader.Read(path) : new WirespeedConfig();

    /// <summary>run: --config FILE plus --hlog and --record DIR (recording.directory), resolved as one (the hlog's directory is checked before the feed starts).</summary>
    public static ResolvedConfig LoadForRun(CommandArgs args)
    {
        var config = ReadFile(args);
        if (args.String("hlog") is string hlog) config.Monitor.Hlog = hlog;
        if (args.String("record") is string record) config.Recording.Directory = record;
        return ConfigValidator.Resolve(config);
    }

    /// <summary>
    /// --config plus the simulator, monitor and topology overrides (--seconds, --rate, --scenario, --seed, --instruments,
    /// --hlog, --topology), and --record DIR (recording.directory) when <paramref name="record"/> is true (demo, bench), resolved
    /// once. <paramref name="simulatedDay"/>: demo and bench, where simulator.breakerProfile applies.
    /// </summary>
    /// <remarks><paramref name="embedded"/> is applied to the embedded default only (no --config): the demo's A/B lines.</remarks>
    public static ResolvedConfig Load(CommandArgs args, bool simulatedDay = false, bool record = false, System.Action<WirespeedConfig>? embedded = null)
    {
        var config = ReadFile(args);
        if (embedded is not null && args.String("config") is null) embedded(config);
        var sim = config.Simulator;
        if (args.Double("seconds") is double s) sim.Seconds = s;
        if (args.Long("rate") is long r) sim.Rate = r;
        if (args.String("scenario") is string sc) sim.Scenario = ConfigNames.Scenarios.Parse(sc, "simulator.scenario");
        if (args.Long("seed") is long seed) sim.Seed = (ulong)seed;
        if (args.Long("instruments") is long n) sim.Instruments = (int)n;
        if (args.String("hlog") is string hlog) config.Monitor.Hlog = hlog;
        if (args.String("topology") is string topo) config.Pipeline.Topology = ConfigNames.Topologies.Parse(topo, "pipeline.topology");
        if (record && args.String("record") is string dir) config.Recording.Directory = dir;
        // Overrides are validated exactly like the file, and name the option's field.
        return ConfigValidator.Resolve(config, simulatedDay);
    }
}
