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

    /// <summary>run: --config FILE plus --hlog and --record DIR (recording.directory), validated as one (the hlog's directory is checked before the feed starts).</summary>
    public static WirespeedConfig LoadForRun(CommandArgs args)
    {
        var config = LoadFile(args);
        string? hlog = args.String("hlog"), record = args.String("record");
        if (hlog is null && record is null) return config;
        if (hlog is not null) config.Monitor.Hlog = hlog;
        if (record is not null) config.Recording.Directory = record;
        return ConfigValidator.Validated(config);
    }

    /// <summary>--config plus the simulator, monitor and topology overrides (--seconds, --rate, --scenario, --seed, --instruments, --hlog, --topology),
    /// and --record DIR (recording.directory) when <c>record</c> is true (demo, bench).</summary>
    public static WirespeedConfig Load(CommandArgs args, bool record = false)
    {
        var config = LoadFile(args);
        var sim = config.Simulator;
        if (args.Double("seconds") is double s) sim.Seconds = s;
        if (args.Long("rate") is long r) sim.Rate = r;
        if (args.String("scenario") is string sc) sim.Scenario = sc;
        if (args.Long("seed") is long seed) sim.Seed = (ulong)seed;
        if (args.Long("instruments") is long n) sim.Instruments = (int)n;
        if (args.String("hlog") is string hlog) config.Monitor.Hlog = hlog;
        if (args.String("topology") is string topo) config.Pipeline.Topology = topo;
        if (record && args.String("record") is string dir) config.Recording.Directory = dir;
        // Overrides are validated exactly like the file, and name the option's field.
        return ConfigValidator.Validated(config);
    }
}
