using System;
using System.Collections.Generic;
using System.Net;
using System.Numerics;
using Wirespeed.Core.Books;
using Wirespeed.Core.Pipeline.Topology;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

/// <summary>Checks every field once, at start-up (Aeron's conclude()). Each error names the field and the fix.</summary>
public static partial class ConfigValidator
{
    internal static readonly string[] Stages = { "decode", "book", "publish", "breakers", "classify", "deliver" };

    /// <summary>Most feed lines one process receives (all on its first worker).</summary>
    public const int MaxLines = 8;

    /// <summary>Returns <paramref name="c"/> when valid; throws <see cref="ConfigException"/> on the first bad field.</summary>
    public static WirespeedConfig Validated(WirespeedConfig c) => Resolve(c).Config;

    /// <summary>
    /// Checks every field of <paramref name="c"/> and returns it resolved: the priority and breaker sections mapped onto
    /// the library's options and validated by them, the pattern plan built and checked. <paramref name="simulatedDay"/>
    /// (demo, bench): under simulator.breakerProfile compressed the breakers get the simulated day's time constants and
    /// thresholds (<see cref="Hosting.Simulation.SimulatedDayBreakers"/>) before the plan takes its throttle from them.
    /// Throws <see cref="ConfigException"/> on the first bad field.
    /// </summary>
    public static ResolvedConfig Resolve(WirespeedConfig c, bool simulatedDay = false)
    {
        ArgumentNullException.ThrowIfNull(c);
        Require(c.Memory is not null, "memory", "section is null; remove it or write { }.");
        Require(c.Memory!.CeilingBytes >= 64L << 20, "memory.ceilingBytes", $"{c.Memory.CeilingBytes} is below 64 MiB; set at least 67108864.");

        Require(c.Lines is { Count: > 0 }, "lines", "at least one feed line is needed, e.g. [ { \"name\": \"A\" } ].");
        // The lines of one process are all received by its first worker (one spinning thread however many lines), so
        // their number is small; more lines than that belong on more processes, each pinned to its own cores.
        Require(c.Lines.Count <= MaxLines, "lines", $"{c.Lines.Count} lines configured; one process serves at most {MaxLines} (all on its receiving worker): split them over processes.");
        var sockets = new UdpOptions[c.Lines!.Count];
        for (int i = 0; i < c.Lines.Count; i++)
        {
            var l = c.Lines[i];
            string p = $"lines[{i}]";
            Require(l is not null, p, "is null; write an object.");
            NotNull(l!.Name, p + ".name");
            NotNull(l.Device, p + ".device");
            NotNull(l.Group, p + ".group");
            NotNull(l.Interface, p + ".interface");
            NotNull(l.Session, p + ".session");
            NotNull(l.ExchangeTimeZone, p + ".exchangeTimeZone");
            Require(!string.IsNullOrWhiteSpace(l.Name), p + ".name", "must not be empty.");
            Require(l.Id is >= 0 and <= 255, p + ".id", $"{l.Id} is out of range; use 0..255.");
            Require(Enum.IsDefined(l.Transport), p + ".transport", $"{(int)l.Transport} is not one of: {TransportNames.All}.");
            Known(l.XdpMode, ConfigNames.XdpModes, p + ".xdpMode");
            Known(l.UringSetup, ConfigNames.UringSetups, p + ".uringSetup");
            Require(l.Device.Length < 16, p + ".device", $"'{l.Device}' is too long for a network device name (15 characters at most); see 'ip link'.");
            Require(l.Transport != TransportKind.Xdp || l.Device.Length > 0, p + ".device", "transport 'xdp' needs the network device to attach to, e.g. \"device\": \"eth0\".");
            ValidateAeronLine(l, p);
            Require(l.SqPollCpu >= -1 && l.SqPollCpu < Environment.ProcessorCount, p + ".sqPollCpu", $"{l.SqPollCpu}: use -1 (any) or a CPU of this machine (0-{Environment.ProcessorCount - 1}).");
            // The socket's rules are the library's (UdpOptions): an IPv4 multicast group or empty, a port, an IPv4 interface
            // address, a receive buffer of 64 KiB..1 GiB.
            sockets[i] = l.ToUdpOptions();
            Library(p, sockets[i].Validated);
            Require(l.Session.Length is 0 or 10, p + ".session", $"'{l.Session}' must be exactly 10 characters (MoldUDP64 session), or empty to adopt the first seen.");
            Library(p, l.ToSessionOptions().Validated, "ExpectedSession", "session");   // printable ASCII
            Require(l.MaxDatagramBytes is >= 64 and <= 65507, p + ".maxDatagramBytes", $"{l.MaxDatagramBytes}: use 64..65507 (the largest UDP payload over IPv4); default 2048.");
            Require(Time.ExchangeDayZone(l.ExchangeTimeZone), p + ".exchangeTimeZone", $"'{l.ExchangeTimeZone}' is not a time zone this system knows; use an IANA id such as America/New_York, or UTC.");
            if (i == 0) continue;
            var first = c.Lines[0];
            for (int j = 0; j < i; j++)
            {
                var o = c.Lines[j];
                Require(o.Name != l.Name, p + ".name", $"'{l.Name}' is also the name of lines[{j}]; names tag sections and logs, so each must be unique.");
                Require(o.Id != l.Id, p + ".id", $"{l.Id} is also the id of lines[{j}]; every event carries its line id, so each must be unique.");
                Require(l.Transport == TransportKind.Aeron || !(o.Group == l.Group && o.Port == l.Port && o.Interface == l.Interface), p + ".port",
                    $"lines[{j}] already receives {l.Group}:{l.Port} on {l.Interface}; give each line its own group or port.");
            }
            Require(l.Transport == first.Transport, p + ".transport",
                $"'{TransportNames.Of(l.Transport)}' differs from lines[0].transport '{TransportNames.Of(first.Transport)}': the lines of a process are received by one worker through one transport; use '{TransportNames.Of(first.Transport)}'.");
            Require(l.Transport != TransportKind.Xdp, p + ".transport", "AF_XDP serves one line per process (an XDP socket owns its device queue); use uring or socket for several lines, or one process per line.");
            Require(l.ExchangeTimeZone == first.ExchangeTimeZone, p + ".exchangeTimeZone",
                $"'{l.ExchangeTimeZone}' differs from lines[0]'s '{first.ExchangeTimeZone}': the lines of a process share one exchange day.");
        }
        ValidateLineRecovery(c);   // side B, re-request server, reorder window (ConfigValidator.Recovery.cs)

        var b = c.Books;
        Require(b is not null, "books", "section is null; remove it or write { }.");
        Require(b!.MaxInstruments is >= 1 and <= 65536, "books.maxInstruments", $"{b.MaxInstruments}: use 1..65536 (ITCH stock locate is 16-bit).");
        Require(b.MaxOrders is >= 1024 and <= BookOptions.MaxLiveOrdersLimit, "books.maxOrders", $"{b.MaxOrders} is out of range 1024..{BookOptions.MaxLiveOrdersLimit} (live orders across all books; default 4194304).");
        Require(b.MaxLevelsPerSide is >= 8 and <= 65536, "books.maxLevelsPerSide", $"{b.MaxLevelsPerSide}: use 8..65536 (default 256).");
        Require(b.Depth is >= 1 and <= 50, "books.depth", $"{b.Depth}: use 1..50.");
        Library("books", b.ToOptions("book").Validated, "MaxLiveOrders", "maxOrders");

        var pl = c.Pipeline;
        Require(pl is not null, "pipeline", "section is null; remove it or write { }.");
        Known(pl!.Topology, ConfigNames.Topologies, "pipeline.topology");
        Require(pl.BatchSize is >= 1 and <= 4096, "pipeline.batchSize", $"{pl.BatchSize}: use 1..4096 (default 64).");
        Require(pl.RingSlots >= 2 && BitOperations.IsPow2(pl.RingSlots), "pipeline.ringSlots",
            $"{pl.RingSlots} must be a power of two, e.g. {BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, pl.RingSlots))}.");
        Require(pl.Workers is { Count: > 0 }, "pipeline.workers", "at least one worker is needed.");
        int need = pl.Topology == PipelineTopology.Split ? 2 : 1;
        Require(pl.Workers!.Count >= need, "pipeline.workers", $"topology '{ConfigNames.Topologies.Of(pl.Topology)}' needs {need} workers; {pl.Workers.Count} configured.");
        int cpus = Environment.ProcessorCount;
        for (int i = 0; i < pl.Workers.Count; i++)
        {
            var w = pl.Workers[i];
            string p = $"pipeline.workers[{i}]";
            Require(w is not null, p, "is null; write an object.");
            Require(!string.IsNullOrWhiteSpace(w!.Name), p + ".name", "must not be empty.");
            Require(w.Cpu >= -1 && w.Cpu < cpus, p + ".cpu", $"{w.Cpu}: this machine has {cpus} CPUs (0-{cpus - 1}); use one of them or -1 for no pinning.");
            Known(w.Idle, ConfigNames.Idles, p + ".idle");
            for (int j = 0; j < i; j++)
                Require(pl.Workers[j]?.Name != w.Name, p + ".name", $"'{w.Name}' is also the name of pipeline.workers[{j}]; names tag histograms and rings, so each must be unique.");
        }
        Require(pl.BudgetsNs is not null, "pipeline.budgetsNs", "is null; remove it for the defaults.");
        foreach (var kv in pl.BudgetsNs!)
        {
            Require(Array.IndexOf(Stages, kv.Key) >= 0, "pipeline.budgetsNs." + kv.Key, $"unknown stage; use one of {string.Join(", ", Stages)}.");
            Require(kv.Value > 0, "pipeline.budgetsNs." + kv.Key, $"{kv.Value} must be a positive number of ns.");
        }
        Require(pl.EndToEndBudgetNs > 0, "pipeline.endToEndBudgetNs", $"{pl.EndToEndBudgetNs} must be a positive number of ns (default 100000).");

        Require(c.Monitor is not null, "monitor", "section is null; remove it or write { }.");
        Require(c.Monitor!.IntervalMs is >= 10 and <= 60_000, "monitor.intervalMs", $"{c.Monitor.IntervalMs}: use 10..60000 (default 1000).");
        ValidateMetrics(c.Monitor);

        Require(c.Quarantine is not null, "quarantine", "section is null; remove it or write { }.");
        Require(c.Quarantine!.Capacity is >= 1 and <= 1 << 20, "quarantine.capacity", $"{c.Quarantine.Capacity}: use 1..1048576.");
        Require(c.Quarantine.MaxBytes is >= 64 and <= 65536, "quarantine.maxBytes", $"{c.Quarantine.MaxBytes}: use 64..65536.");
        Require((long)c.Quarantine.Capacity * c.Quarantine.MaxBytes <= int.MaxValue, "quarantine.capacity",
            $"{c.Quarantine.Capacity} entries of quarantine.maxBytes {c.Quarantine.MaxBytes} is {(long)c.Quarantine.Capacity * c.Quarantine.MaxBytes} bytes, over the {int.MaxValue} one store holds; lower either.");

        var s = c.Simulator;
        Require(s is not null, "simulator", "section is null; remove it or write { }.");
        Require(s!.Instruments is >= 1 and <= 10_000, "simulator.instruments", $"{s.Instruments}: use 1..10000.");
        Require(s.Instruments <= c.Books.MaxInstruments, "simulator.instruments", $"{s.Instruments} exceeds books.maxInstruments={c.Books.MaxInstruments}; raise books.maxInstruments.");
        Require(s.Sectors >= 1 && s.Sectors <= s.Instruments, "simulator.sectors", $"{s.Sectors}: use 1..simulator.instruments ({s.Instruments}).");
        Require(s.ActivitySkew is >= 0 and <= 3, "simulator.activitySkew", $"{s.ActivitySkew}: use 0..3 (0 = every instrument alike, 1 = Zipf, as a real market).");
        Require(s.DepthLevels is >= 1 and <= 100, "simulator.depthLevels", $"{s.DepthLevels}: use 1..100 price levels each side.");
        Require(s.MaxLiveOrders >= 4 * s.DepthLevels && s.MaxLiveOrders <= 4096, "simulator.maxLiveOrders",
            $"{s.MaxLiveOrders}: use {4 * s.DepthLevels}..4096 (at least 4 × simulator.depthLevels).");
        Known(s.Scenario, ConfigNames.Scenarios, "simulator.scenario");
        Require(s.Rate is >= 1 and <= 50_000_000, "simulator.rate", $"{s.Rate}: use 1..50000000 messages per second.");
        Require(s.Seconds is > 0 and <= 86_400, "simulator.seconds", $"{s.Seconds}: use a positive number of seconds up to 86400.");
        Require(s.MaxPayloadBytes is >= 64 and <= 8972, "simulator.maxPayloadBytes", $"{s.MaxPayloadBytes}: use 64..8972 (1400 fits a 1500-byte MTU).");
        for (int i = 0; i < c.Lines.Count; i++)
            Require(s.MaxPayloadBytes <= c.Lines[i].MaxDatagramBytes, "simulator.maxPayloadBytes",
                $"{s.MaxPayloadBytes} exceeds lines[{i}].maxDatagramBytes={c.Lines[i].MaxDatagramBytes}: the receiver would drop every full packet; lower it or raise lines[{i}].maxDatagramBytes.");
        NotNull(s.Session, "simulator.session");
        Require(s.Session.Length is 0 or 10, "simulator.session", $"'{s.Session}' must be exactly 10 characters (MoldUDP64 session), or empty for a session of each run's own.");
        if (s.Session.Length == 10) Library("simulator", new MoldSessionOptions { ExpectedSession = s.Session }.Validated, "ExpectedSession", "session");
        Known(s.BreakerProfile, ConfigNames.BreakerProfiles, "simulator.breakerProfile");

        var priority = ValidatePriority(c.Priority);
        var breakers = ValidateBreakers(c.Breakers);
        if (simulatedDay && s.BreakerProfile == BreakerProfile.Compressed)
            breakers = Breakers(Hosting.Simulation.SimulatedDayBreakers.For(breakers));
        var (universe, plan) = PatternConfigMapper.Validate(c, breakers);
        var pipelineNotes = new List<string>();
        var pipeline = Pipeline(c.Pipeline, pipelineNotes);
        ValidateClock(c.Clock);
        ValidateSupervisor(c.Supervisor);
        ValidateRecording(c);
        HostChecks(c);
        return new ResolvedConfig(c, sockets, pipeline, pipelineNotes, priority, breakers, universe, plan) { SimulatedDay = simulatedDay };
    }

    /// <summary>The pipeline section planned for this machine (<see cref="Hosting.Lines.PipelinePlan"/>) and checked by the library.</summary>
    private static PipelineOptions Pipeline(PipelineConfig p, List<string> notes)
    {
        try
        {
            return Hosting.Lines.PipelinePlan.From(p, Environment.ProcessorCount, notes);
        }
        catch (PipelineConfigException e)
        {
            throw new ConfigException("pipeline", string.Join("; ", e.Errors));
        }
    }

    // The library's messages read "path=value: fix."; the ConfigException prefixes the path itself, so keep "value: fix".
    private static ConfigException Named(string field, string message)
    {
        string rest = message.StartsWith(field + "=", StringComparison.Ordinal) ? "value " + message[(field.Length + 1)..]
                    : message.StartsWith(field + ":", StringComparison.Ordinal) ? message[(field.Length + 1)..].TrimStart()
                    : message;
        return new ConfigException(field, rest);
    }

    private static class Time
    {
        public static bool ExchangeDayZone(string? id) => id is not null && Core.Time.ExchangeDay.TryFindZone(id, out _);
    }

    /// <summary>
    /// Runs a library's own Validated() on the options mapped from a section (see CoreOptionsMapping.cs) and names its
    /// error on the configuration's path: <paramref name="section"/> + the parameter in camelCase, or
    /// <paramref name="renamedTo"/> for the one parameter the configuration names otherwise.
    /// </summary>
    private static void Library<T>(string section, Func<T> validated, string? renamed = null, string? renamedTo = null)
    {
        try
        {
            validated();
        }
        catch (ArgumentException e)
        {
            string param = e.ParamName ?? "";
            string key = param == renamed && renamedTo is not null ? renamedTo : param.Length == 0 ? "" : char.ToLowerInvariant(param[0]) + param[1..];
            string message = e.Message;
            int suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
            if (suffix >= 0) message = message[..suffix];
            int eq = message.IndexOf('=', StringComparison.Ordinal);   // "book.MaxLiveOrders=5 must be …" → "value 5 must be …"
            if (eq > 0 && param.Length > 0 && message[..eq].EndsWith(param, StringComparison.Ordinal)) message = "value " + message[(eq + 1)..];
            throw new ConfigException(key.Length == 0 ? section : section + "." + key, message);
        }
    }

    private static void NotNull(string? value, string field) => Require(value is not null, field, "is null; write a string, or remove the key for its default.");

    /// <summary>An enumerated setting has a name (the JSON converter only reads names; a value set from code may have none).</summary>
    internal static void Known<T>(T value, NameTable<T> names, string field) where T : struct, Enum
    {
        if (!names.IsNamed(value)) throw new ConfigException(field, $"{value} is not one of: {names.All}.");
    }

    internal static void Require(bool ok, string field, string message)
    {
        if (!ok) throw new ConfigException(field, message);
    }
}
