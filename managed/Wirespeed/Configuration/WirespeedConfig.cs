using System.Collections.Generic;
using System.Text.Json.Serialization;
using Wirespeed.Feeds.Udp;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Priority;
using Wirespeed.Core.Signals;
using Wirespeed.Feeds.Sim;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Configuration;

// The configuration file's shape. Property names are the JSON keys (camelCase through the source-generated context).
// Every default is written once: here, or, where the library's options have it, taken from a static instance of them
// (PriorityConfig.cs, BreakersConfig.cs, the patterns sections); deploy/wirespeed.json documents them and a test checks
// the two agree. The convention these classes follow is stated in CoreOptionsMapping.cs.

/// <summary>Root of the configuration file.</summary>
public sealed class WirespeedConfig
{
    public MemoryConfig Memory { get; set; } = new();
    public List<LineConfig> Lines { get; set; } = new() { new LineConfig() };
    public BookConfig Books { get; set; } = new();
    public PipelineConfig Pipeline { get; set; } = new();
    public MonitorConfig Monitor { get; set; } = new();
    public QuarantineConfig Quarantine { get; set; } = new();
    public SimulatorConfig Simulator { get; set; } = new();
    /// <summary>Lane classification, dynamic re-weighting and lane scheduling (issue 4); mapped onto <see cref="PriorityOptions"/>.</summary>
    public PriorityConfig Priority { get; set; } = new();
    /// <summary>Circuit breakers: detectors, scopes, recovery, responses (issue 4); mapped onto <see cref="BreakerOptions"/>.</summary>
    public BreakersConfig Breakers { get; set; } = new();
    /// <summary>Pattern detection: definitions, workers, the top-of-book ring and the signal sinks (issue 5).</summary>
    public PatternsConfig Patterns { get; set; } = new();
    /// <summary>Clock-health watcher: steps, backward jumps, exchange-vs-local drift (issue 12).</summary>
    public ClockConfig Clock { get; set; } = new();
    /// <summary>Worker supervision: faults, stalls, restart or fail (issue 12).</summary>
    public SupervisorConfig Supervisor { get; set; } = new();
    /// <summary>Compliance recording of every received datagram (issue 12); off while its directory is empty.</summary>
    public RecordingConfig Recording { get; set; } = new();
}

/// <summary>Memory reserved at start-up; the ceiling is hard.</summary>
public sealed class MemoryConfig
{
    /// <summary>Hard ceiling on bytes reserved by arenas and pools. Default: 2 GiB.</summary>
    public long CeilingBytes { get; set; } = 2L << 30;
    /// <summary>Try huge pages (MAP_HUGETLB) for arenas; falls back to normal pages with a logged reason. Default: false.</summary>
    public bool HugePages { get; set; }
    /// <summary>mlock arenas (needs CAP_IPC_LOCK or root). Default: false.</summary>
    public bool Lock { get; set; }
    /// <summary>Pre-fault arenas at start-up (a first touch costs ~9 µs on these VMs). Default: true.</summary>
    public bool Prefault { get; set; } = true;
}

/// <summary>One feed line: where its packets come from.</summary>
public sealed partial class LineConfig
{
    /// <summary>Line name used in logs and metrics. Default: "A".</summary>
    public string Name { get; set; } = "A";
    /// <summary>Dense line id stamped on every event (0-255). Default: 0.</summary>
    public int Id { get; set; }
    /// <summary>
    /// auto | xdp | uring | socket | recv. auto takes the best that works here (AF_XDP when <see cref="Device"/> is set and
    /// the process may attach, else io_uring, else sockets) and says why at start-up; socket is recvmmsg; recv is the
    /// plain .NET socket, one datagram per call. Default: auto.
    /// </summary>
    [JsonConverter(typeof(TransportKindJsonConverter))]
    public TransportKind Transport { get; set; } = TransportKind.Auto;
    /// <summary>Network device for AF_XDP (e.g. eth0); empty disables AF_XDP. Default: empty.</summary>
    public string Device { get; set; } = "";
    /// <summary>AF_XDP attach mode: drv (the driver's hook) | skb (generic, any device). Default: drv.</summary>
    [JsonConverter(typeof(XdpModeJsonConverter))]
    public XdpMode XdpMode { get; set; } = XdpMode.Drv;
    /// <summary>io_uring setup: defer-taskrun | coop | sqpoll (a kernel thread polls: costs a core). Default: defer-taskrun.</summary>
    [JsonConverter(typeof(UringSetupJsonConverter))]
    public UringSetupFlags UringSetup { get; set; } = UringSetupFlags.DeferTaskRun;
    /// <summary>CPU of the SQPOLL kernel thread, or -1 for any. Default: -1.</summary>
    public int SqPollCpu { get; set; } = -1;
    /// <summary>IPv4 multicast group to join, or empty to receive unicast on <see cref="Interface"/>. Default: 239.192.0.1.</summary>
    public string Group { get; set; } = "239.192.0.1";
    /// <summary>UDP port. Default: 26477.</summary>
    public int Port { get; set; } = 26477;
    /// <summary>Interface address for the multicast join. Default: 127.0.0.1.</summary>
    public string Interface { get; set; } = "127.0.0.1";
    /// <summary>SO_RCVBUF request in bytes. Default: 16 MiB.</summary>
    public int ReceiveBufferBytes { get; set; } = 16 << 20;
    /// <summary>Expected MoldUDP64 session (10 characters), or empty to adopt the first one seen. Default: empty.</summary>
    public string Session { get; set; } = "";
    /// <summary>Largest datagram accepted; larger ones are counted as truncated. Default: 2048.</summary>
    public int MaxDatagramBytes { get; set; } = 2048;
    /// <summary>Time zone whose midnight ITCH timestamps count from (NASDAQ: US Eastern), an IANA id or "UTC". Default: America/New_York.</summary>
    public string ExchangeTimeZone { get; set; } = "America/New_York";
}

/// <summary>Order book capacities, all pre-allocated.</summary>
public sealed partial class BookConfig
{
    /// <summary>Instruments (ITCH stock locate codes up to this value). Default: 16384.</summary>
    public int MaxInstruments { get; set; } = 16384;
    /// <summary>Live orders across all books. Default: 4194304.</summary>
    public int MaxOrders { get; set; } = 1 << 22;
    /// <summary>Price levels per side of each instrument, pre-allocated. Default: 256.</summary>
    public int MaxLevelsPerSide { get; set; } = 256;
    /// <summary>Levels per side reported in summaries and replay output. Default: 5.</summary>
    public int Depth { get; set; } = 5;
}

/// <summary>Workers, stages and budgets.</summary>
public sealed class PipelineConfig
{
    /// <summary>single: every stage on one worker (lowest latency on a small box) | split: receive+decode+book+breakers+classify+publish on the first worker, the lane scheduler (critical first, aging) and deliver on the second, joined by one ring per lane. Default: single.</summary>
    [JsonConverter(typeof(TopologyJsonConverter))]
    public PipelineTopology Topology { get; set; } = PipelineTopology.Single;
    /// <summary>Events per batch. Default: 64.</summary>
    public int BatchSize { get; set; } = 64;
    /// <summary>Slots of each ring between workers (power of two). Default: 65536.</summary>
    public int RingSlots { get; set; } = 1 << 16;
    /// <summary>Workers in topology order; the first runs ingress. Default: one worker on CPU 1 with back-off idling.</summary>
    public List<WorkerConfig> Workers { get; set; } = new() { new WorkerConfig() };
    /// <summary>
    /// Budget per batch in ns, by stage: decode (receive + MoldUDP64 + ITCH into the batch), book (order books), publish
    /// (top-of-book changes and trades into the pattern workers' ring), breakers (circuit-breaker detectors), classify (lane rules), deliver
    /// (hand-off to consumers: the strategy side). A batch holds up to batchSize events (64 by default: about 5 µs of
    /// book work), so these defaults alert on stalls an order of magnitude above normal work. Defaults below.
    /// </summary>
    public Dictionary<string, long> BudgetsNs { get; set; } = new()
    {
        ["decode"] = 100_000, ["book"] = 100_000, ["publish"] = 50_000, ["breakers"] = 50_000, ["classify"] = 50_000, ["deliver"] = 50_000,
    };
    /// <summary>End-to-end budget (receive → last stage) in ns. Default: 100000.</summary>
    public long EndToEndBudgetNs { get; set; } = 100_000;
}

/// <summary>One worker thread.</summary>
public sealed class WorkerConfig
{
    /// <summary>Thread name. Default: "main".</summary>
    public string Name { get; set; } = "main";
    /// <summary>CPU to pin to, or -1 for none. Default: -1.</summary>
    public int Cpu { get; set; } = -1;
    /// <summary>busy-spin | yield | back-off | auto (busy-spin only when enough cores for every spinning thread). Default: auto.</summary>
    [JsonConverter(typeof(IdleJsonConverter))]
    public IdleSetting Idle { get; set; } = IdleSetting.Auto;
}

/// <summary>Monitor thread and outputs.</summary>
public sealed class MonitorConfig
{
    /// <summary>Sampling interval in ms. Default: 1000.</summary>
    public int IntervalMs { get; set; } = 1000;
    /// <summary>HdrHistogram log path, or empty for none. Default: empty.</summary>
    public string Hlog { get; set; } = "";
    /// <summary>Run the hiccup meter (host interference). Default: true.</summary>
    public bool Hiccup { get; set; } = true;
    /// <summary>
    /// Address of the Prometheus endpoint (GET /metrics, text format 0.0.4), "HOST:PORT" ("127.0.0.1:9464",
    /// "[::1]:9464", ":9464" for every interface), or empty for none. Default: empty (off).
    /// </summary>
    public string Metrics { get; set; } = "";
}

/// <summary>Bounded store of rejected packets.</summary>
public sealed class QuarantineConfig
{
    /// <summary>Entries kept (oldest overwritten and counted). Default: 1024.</summary>
    public int Capacity { get; set; } = 1024;
    /// <summary>Bytes kept per entry. Default: 2048.</summary>
    public int MaxBytes { get; set; } = 2048;
}

/// <summary>The exchange simulator used by demo and simulate.</summary>
public sealed class SimulatorConfig
{
    /// <summary>Random seed; same seed, same bytes. Default: 42.</summary>
    public ulong Seed { get; set; } = 42;
    /// <summary>Instruments. Default: 64.</summary>
    public int Instruments { get; set; } = 64;
    /// <summary>Sectors the instruments are split into. Default: 8.</summary>
    public int Sectors { get; set; } = 8;
    /// <summary>Share of the flow by instrument: instrument k gets 1/k^activitySkew of it (0 = uniform, 1 = Zipf, as a
    /// real market). 0..3. Default: 0.</summary>
    public double ActivitySkew { get; set; }
    /// <summary>Price levels each side the simulator adds orders on. 1..100. Default: 5.</summary>
    public int DepthLevels { get; set; } = 5;
    /// <summary>Most live orders per instrument: the live-order count of the whole market peaks near instruments ×
    /// this for the busiest names. 4×depthLevels..4096. Default: 64.</summary>
    public int MaxLiveOrders { get; set; } = 64;
    /// <summary>normal | flash-crash | news-spike | open-close | correlated-move. Default: normal.</summary>
    [JsonConverter(typeof(ScenarioJsonConverter))]
    public SimScenario Scenario { get; set; } = SimScenario.Normal;
    /// <summary>Messages per second. Default: 1000000.</summary>
    public long Rate { get; set; } = 1_000_000;
    /// <summary>Run length in seconds. Default: 15.</summary>
    public double Seconds { get; set; } = 15;
    /// <summary>Max MoldUDP64 payload bytes per packet. Default: 1400.</summary>
    public int MaxPayloadBytes { get; set; } = 1400;
    /// <summary>MoldUDP64 session the simulator publishes (10 characters). Empty: each live demo or simulate run sends a
    /// session of its own ("W" + pid + run, see Hosting/Simulation/SimulatorSession.cs), so two runs sharing a group are
    /// told apart; files and bench use "WIRESPEED1". Default: empty.</summary>
    public string Session { get; set; } = "";
    /// <summary>compressed: demo and bench run the breakers with time constants and thresholds matched to the simulator's
    /// compressed day (see Hosting/SimulatedDayBreakers.cs) | configured: the breakers section as written. Default: compressed.</summary>
    [JsonConverter(typeof(BreakerProfileJsonConverter))]
    public BreakerProfile BreakerProfile { get; set; } = BreakerProfile.Compressed;
}

/// <summary>
/// Pattern detection (configuration section <c>patterns</c>): the book worker publishes top-of-book changes and trades
/// into a broadcast ring; pattern workers, each owning a partition of the definitions, read it and emit signals to the
/// sinks, gated by the circuit breakers. Mapped onto <see cref="PatternsOptions"/> by <see cref="PatternConfigMapper"/>.
/// </summary>
public sealed class PatternsConfig
{
    private static readonly PatternsOptions s_library = new();

    /// <summary>Run the pattern stage (publish stage, ring, workers). false: the publish stage does nothing. Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Pattern worker threads (one ring cursor each). Default: 1.</summary>
    public int Workers { get; set; } = s_library.Workers;
    /// <summary>CPU of each worker (-1: not pinned); empty: none pinned. Default: empty.</summary>
    public List<int> Cpus { get; set; } = new();
    /// <summary>auto | busy-spin | yield | back-off. auto spins only while cores are left after the pipeline's spinning
    /// workers (one core always stays free), else back-off. Default: auto.</summary>
    [JsonConverter(typeof(IdleJsonConverter))]
    public IdleSetting Idle { get; set; } = IdleSetting.Auto;
    /// <summary>workers: pattern worker threads read the ring | inline: the book worker runs the one pattern agent right
    /// after publishing each batch (no hand-off: detection latency is the book worker's service time; needs workers 1) |
    /// auto: inline when workers is 1, idle is auto and no core is left for a spinning pattern worker, else workers.
    /// Default: auto.</summary>
    [JsonConverter(typeof(PlacementJsonConverter))]
    public PatternPlacement Placement { get; set; } = PatternPlacement.Auto;
    /// <summary>affinity: definitions without a worker go where their instruments are (patterns sharing an instrument
    /// or a sequence share a worker), balanced by legs | explicit: every definition names its worker. Default: affinity.</summary>
    [JsonConverter(typeof(PartitionJsonConverter))]
    public PatternPartition Partition { get; set; } = PatternPartition.Affinity;
    /// <summary>Slots of the top-of-book broadcast ring (power of two, 64 bytes each). Default: 65536.</summary>
    public int RingCapacity { get; set; } = s_library.RingCapacity;
    /// <summary>drop-and-count: a full ring drops the event, counted (the book never waits) | wait: the book worker
    /// waits for the slowest pattern worker (nothing lost; a stuck worker stops the feed). Default: drop-and-count.</summary>
    [JsonConverter(typeof(OverflowJsonConverter))]
    public PublishOverflowPolicy Overflow { get; set; } = PublishOverflowPolicy.DropAndCount;
    /// <summary>Events a worker takes from the ring per duty cycle. Default: 256.</summary>
    public int BatchSize { get; set; } = s_library.BatchSize;
    /// <summary>monotonic: detection time from the clock (latency measured) | virtual: the trigger's receive time
    /// (byte-identical signals for the same input; pattern threads then run in lock step with the book worker, which
    /// waits after each batch until they have evaluated it). <c>replay</c> always runs virtual. Default: monotonic.</summary>
    [JsonConverter(typeof(ClockJsonConverter))]
    public PatternClock Clock { get; set; } = PatternClock.Monotonic;
    /// <summary>Budget of the detection latency (trigger's packet receive → signal), ns; alerts on interval p99.9. Default: 500000.</summary>
    public long DetectionBudgetNs { get; set; } = 500_000;
    /// <summary>Symbol → ITCH stock locate for resolving legs at start-up (the exchange publishes the day's locates
    /// before the open); empty: the simulator's symbols (simulator.instruments, simulator.sectors). Default: empty.</summary>
    public Dictionary<string, int> Instruments { get; set; } = new();
    /// <summary>Where signals go besides the in-process sink (which always counts them). Default: journal off.</summary>
    public SignalSinksConfig Sinks { get; set; } = new();
    /// <summary>
    /// Pattern instances. The default runs every kind the simulator's one feed line can show, on its correlated sectors
    /// (sector s holds locates s+1, s+9, …; symbols are the sector letter and a base-26 number: AAAA, AAAB, … BAAA …),
    /// naming only the first two instruments of each sector so that it also runs with --instruments 16.
    /// </summary>
    public List<PatternDefinitionConfig> Definitions { get; set; } = new()
    {
        new() { Name = "pair-a", Kind = "pairSpread", Legs = { new() { Symbol = "AAAA" }, new() { Symbol = "AAAB" } }, Window = 512, ThresholdZ = 5 },
        new() { Name = "pair-b", Kind = "pairSpread", Legs = { new() { Symbol = "BAAA" }, new() { Symbol = "BAAB" } }, Window = 512, ThresholdZ = 5 },
        new() { Name = "lead-c", Kind = "leadLag", Legs = { new() { Symbol = "CAAA" }, new() { Symbol = "CAAB" } }, MoveBps = 20, WithinUs = 2000 },
        new() { Name = "basket-d", Kind = "basket", Window = 512, ThresholdZ = 5, Legs =
        {
            new() { Symbol = "DAAA" }, new() { Symbol = "DAAB", Weight = 0.5 }, new() { Symbol = "EAAB", Weight = 0.25 }, new() { Symbol = "FAAB", Weight = 0.25 },
        } },
        new() { Name = "momentum-c", Kind = "momentum", Legs = { new() { Symbol = "CAAA" } }, Count = 7, WithinUs = 1000 },
        new() { Name = "momentum-e", Kind = "momentum", Legs = { new() { Symbol = "EAAA" } }, Count = 8, WithinUs = 1000 },
        new() { Name = "burst-then-lag", Kind = "sequence", First = "momentum-c", Then = "lead-c", WithinUs = 5000 },
    };
}

/// <summary>Signal sinks besides the in-process one.</summary>
public sealed class SignalSinksConfig
{
    /// <summary>Signal journal (72-byte records with CRC-32C, see Core/Signals/SignalJournal.cs); empty: off. With several
    /// workers each writes its own file, PATH.0, PATH.1 …; merge by stream position. Default: empty.</summary>
    public string Journal { get; set; } = "";
    /// <summary>Records a worker buffers before it writes them (and on stop). Default: 512.</summary>
    public int JournalBufferRecords { get; set; } = 512;
}

/// <summary>One pattern instance (<c>patterns.definitions[i]</c>). Which fields a kind reads is on each field; defaults are the library's (<see cref="PatternOptions"/>).</summary>
public sealed class PatternDefinitionConfig
{
    private static readonly PatternOptions s_library = new();

    /// <summary>Unique name; sequences refer to patterns by it; summaries report by it. Required.</summary>
    public string Name { get; set; } = "";
    /// <summary>pairSpread | leadLag | arbitrage | basket | momentum | sequence. Required.</summary>
    public string Kind { get; set; } = "";
    /// <summary>pairSpread: A, B. leadLag: leader, followers. arbitrage: one symbol on two lines. basket: target,
    /// components (weighted). momentum: one. sequence: none.</summary>
    public List<PatternLegConfig> Legs { get; set; } = new();
    /// <summary>pairSpread, basket: rolling window in samples (one per quote of a leg), ≥ 2. Default: 256.</summary>
    public int Window { get; set; } = s_library.Window;
    /// <summary>pairSpread, basket: |z| that fires. Default: 6.</summary>
    public double ThresholdZ { get; set; } = s_library.ThresholdZ;
    /// <summary>pairSpread: β of the log spread ln A − β·ln B. Default: 1.</summary>
    public double HedgeRatio { get; set; } = s_library.HedgeRatio;
    /// <summary>leadLag: the leader's move in bps. Default: 20.</summary>
    public double MoveBps { get; set; } = s_library.MoveBps;
    /// <summary>µs. leadLag: span of the moves ("followers have not moved within"); momentum: span of the run; sequence:
    /// most time from first to then ("A then B within"). Default: 500.</summary>
    public long WithinUs { get; set; } = s_library.WithinUs;
    /// <summary>pairSpread, basket, arbitrage: the condition must hold this long before it fires ("holds for"), µs; 0 fires at once. Default: 0.</summary>
    public long HoldUs { get; set; } = s_library.HoldUs;
    /// <summary>momentum: trades in a row in one aggressor direction. Default: 8.</summary>
    public int Count { get; set; } = s_library.Count;
    /// <summary>arbitrage: costs of both legs, Price(4) units (100 = $0.01). Default: 0.</summary>
    public long Cost { get; set; } = s_library.Cost;
    /// <summary>leadLag: quotes of history kept per leg (cover withinUs). Default: 256.</summary>
    public int History { get; set; } = s_library.History;
    /// <summary>sequence: the pattern that fires first. Default: empty.</summary>
    public string First { get; set; } = "";
    /// <summary>sequence: the pattern that must fire within withinUs after first. Default: empty.</summary>
    public string Then { get; set; } = "";
    /// <summary>Worker that runs it; -1: by instrument affinity (patterns.partition affinity only). Default: -1.</summary>
    public int Worker { get; set; } = s_library.Worker;
}

/// <summary>One leg: an instrument on a feed line's books.</summary>
public sealed class PatternLegConfig
{
    /// <summary>Symbol (up to 8 characters), resolved through patterns.instruments or the simulator's symbols. Required.</summary>
    public string Symbol { get; set; } = "";
    /// <summary>Feed line id whose books the leg reads; -1: this process's line (lines[0].id). Default: -1.</summary>
    public int Line { get; set; } = -1;
    /// <summary>basket components: weight (> 0); ignored elsewhere. Default: 1.</summary>
    public double Weight { get; set; } = 1;
}
