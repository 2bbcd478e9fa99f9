using System;
using System.Collections.Generic;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Hosting;

/// <summary>
/// One feed line, assembled from configuration: packets → MoldUDP64/ITCH decode → books → breakers → classify → publish
/// → deliver (lanes between the last two under topology split, see <see cref="FeedChain"/>), on the workers the topology
/// names, with the pattern workers reading the publish stage's ring (<see cref="FeedPatterns"/>), measured by a
/// <see cref="RunMonitor"/>. Cold path: everything is reserved here, before the run.
/// </summary>
public sealed class FeedHost : IDisposable
{
    private readonly RunningPipeline _pipeline;
    private readonly List<HotThreadProbe> _probes = new();

    private FeedHost(WirespeedConfig config, MemoryRegistry registry, OrderBookSet books, ItchFeedDecoder decoder,
        RunningPipeline pipeline, StageMetrics? oneWay, DeliverCounters deliver, List<HotThreadProbe> probes, List<string> notes, FeedPriority priority,
        FeedPatterns? patterns)
    {
        Priority = priority;
        Patterns = patterns;
        Config = config;
        Registry = registry;
        Books = books;
        Decoder = decoder;
        _pipeline = pipeline;
        OneWay = oneWay;
        Deliver = deliver;
        _probes = probes;
        Notes = notes;
    }

    public WirespeedConfig Config { get; }
    public MemoryRegistry Registry { get; }
    public OrderBookSet Books { get; }
    public ItchFeedDecoder Decoder { get; }
    public RunningPipeline Pipeline => _pipeline;
    public StageMetrics? OneWay { get; }
    public DeliverCounters Deliver { get; }
    /// <summary>Circuit breakers, rule sets, lanes (issue 4).</summary>
    public FeedPriority Priority { get; }
    /// <summary>Pattern detection (issue 5); null when patterns.enabled is false.</summary>
    public FeedPatterns? Patterns { get; }
    /// <summary>Allocation probes of the hot threads: one per worker that runs a book or deliver stage, then one per pattern worker.</summary>
    public IReadOnlyList<ThreadAllocationProbe> HotThreadProbes
    {
        get
        {
            var list = _probes.ConvertAll(p => p.Probe);
            if (Patterns is not null) list.AddRange(Patterns.Probes);
            return list;
        }
    }

    /// <summary>Start-up decisions, one line each (idle strategies, pinning, memory), for the log and the summary.</summary>
    public List<string> Notes { get; }

    /// <summary>
    /// Builds the line over <paramref name="packets"/>. <paramref name="measureOneWay"/> records exchange-timestamp →
    /// deliver latency (only meaningful when the sender stamps from this machine's realtime clock).
    /// </summary>
    public static FeedHost Create<TPackets>(WirespeedConfig config, MemoryRegistry registry, TPackets packets, int maxDatagramBytes,
        bool measureOneWay, long midnightEpochNs)
        where TPackets : struct, IPacketSource
        => Create(config, registry, packets, maxDatagramBytes, measureOneWay, midnightEpochNs, static _ => default(NoSignalCallback));

    /// <summary>
    /// As <see cref="Create{TPackets}(WirespeedConfig, MemoryRegistry, TPackets, int, bool, long)"/>, with an in-process
    /// consumer of signals: <paramref name="callbackFor"/> gives pattern worker i its callback, called on that worker's
    /// thread for every delivered signal (a struct: the call is direct; it must not block or allocate).
    /// </summary>
    public static FeedHost Create<TPackets, TCallback>(WirespeedConfig config, MemoryRegistry registry, TPackets packets, int maxDatagramBytes,
        bool measureOneWay, long midnightEpochNs, Func<int, TCallback> callbackFor)
        where TPackets : struct, IPacketSource
        where TCallback : struct, ISignalCallback
    {
        var notes = new List<string>();
        var line = config.Lines[0];
        var books = new OrderBookSet(new BookOptions
        {
            MaxInstruments = config.Books.MaxInstruments,
            MaxLiveOrders = config.Books.MaxOrders,
            MaxLevelsPerSide = config.Books.MaxLevelsPerSide,
            Name = "book." + line.Name,
        }, null, registry);
        if (config.Memory.Prefault)
            notes.Add($"books: {books.Prefault() / (1 << 20)} MiB pre-faulted (orders {config.Books.MaxOrders:N0}, levels {config.Books.MaxLevelsPerSide} per side x {config.Books.MaxInstruments:N0} instruments)");

        var quarantine = new QuarantineRing(config.Quarantine.Capacity, config.Quarantine.MaxBytes);
        var decoder = new ItchFeedDecoder(new ItchFeedOptions
        {
            MidnightEpochNs = midnightEpochNs,
            // A configured session is enforced (nothing else is ever adopted); without one the first session seen is
            // adopted, and a line that joins mid-session adopts the first sequence it sees.
            Session = new MoldSessionOptions { InitialSequence = 0, ExpectedSession = line.Session },
        }, quarantine);

        var options = PipelinePlan.From(config.Pipeline, Environment.ProcessorCount, notes);
        var deliver = new DeliverCounters();
        var oneWay = measureOneWay ? new StageMetrics("one-way", 0) : null;
        var probes = new List<HotThreadProbe>();
        var firstProbe = new HotThreadProbe("worker." + options.Workers[0].Name);
        probes.Add(firstProbe);
        HotThreadProbe? lastProbe = null;
        if (options.Workers.Count > 1)
        {
            lastProbe = new HotThreadProbe("worker." + options.Workers[^1].Name);
            probes.Add(lastProbe);
        }
        var source = new PacketBatchSource<TPackets, ItchPacketDecoder>(packets, new ItchPacketDecoder(decoder, maxDatagramBytes));
        var priority = new FeedPriority(config.Priority, config.Breakers, books, options.Workers.Count > 1, midnightEpochNs, registry);
        FeedPatterns? patterns = null;
        try
        {
            var bookStage = new BookStage(books, firstProbe);
            var deliverStage = new DeliverStage(deliver, oneWay, lastProbe, priority.Breakers);
            RunningPipeline pipeline;
            if (config.Patterns.Enabled)
            {
                var typed = FeedPatterns.Create(config, books, priority.Breakers, registry, options.Workers, Environment.ProcessorCount, callbackFor, notes);
                patterns = typed;
                pipeline = typed.Inline
                    ? FeedChain.Build(options, source, bookStage, priority.BreakerStage(books), priority.Classify, typed.InlineStage,
                        deliverStage, priority.Lanes, priority.Scheduler)
                    : FeedChain.Build(options, source, bookStage, priority.BreakerStage(books), priority.Classify, typed.PublishStage,
                        deliverStage, priority.Lanes, priority.Scheduler);
            }
            else
            {
                notes.Add("patterns: off (patterns.enabled false): the publish stage does nothing");
                pipeline = FeedChain.Build(options, source, bookStage, priority.BreakerStage(books), priority.Classify, new NoPublishStage(),
                    deliverStage, priority.Lanes, priority.Scheduler);
            }
            notes.Add($"priority: rule set v{priority.RuleSets.Current.Version}, {priority.RuleSets.Current.Rules.Length} rules; breakers {(config.Breakers.Enabled ? "on" : "off")}" +
                      (priority.Lanes is null ? "; one worker: lanes are written, nothing reorders" : $"; lanes of {config.Priority.LaneCapacity} slots, critical first"));
            return new FeedHost(config, registry, books, decoder, pipeline, oneWay, deliver, probes, notes, priority, patterns);
        }
        catch
        {
            patterns?.Dispose();
            priority.Dispose();
            throw;
        }
    }

    /// <summary>Registers every histogram and probe with the monitor (before <see cref="RunMonitor.Start"/>).</summary>
    public void Register(RunMonitor monitor)
    {
        if (_pipeline.SourceStage is { } src) monitor.Add(src.Metrics);
        foreach (var s in _pipeline.Stages) monitor.Add(s.Metrics);
        foreach (var s in _pipeline.LinkStages) monitor.Add(s.Metrics);
        if (OneWay is not null) monitor.Add(OneWay);
        for (int i = 0; i < _pipeline.Runners.Count; i++)
            monitor.Add(_pipeline.Runners[i].ServiceTime, i == 0 ? StageRole.Service : StageRole.Stage);
        monitor.Add(_pipeline.EndToEnd, StageRole.EndToEnd);
        foreach (var p in _probes) monitor.AddProbe(p.Probe);
        Patterns?.Register(monitor);
    }

    /// <summary>
    /// Starts the workers (pinned, idle strategies as planned) and notes how each started: the pattern workers first,
    /// so that every reader of the top-of-book ring is polling before the book worker publishes.
    /// </summary>
    public void Start()
    {
        Patterns?.Start();
        _pipeline.Start();
        Notes.AddRange(_pipeline.DescribeWorkers());
        if (Patterns is not null) Notes.AddRange(Patterns.DescribeWorkers());
    }

    /// <summary>Warm-up is over: allocation on the hot threads counts from the next batch.</summary>
    public void EndWarmup()
    {
        foreach (var p in _probes) p.Open();
        Patterns?.EndWarmup();
    }

    /// <summary>Events delivered to the last stage so far.</summary>
    public long Delivered => System.Threading.Volatile.Read(ref Deliver.Events);

    /// <summary>
    /// Stops the workers in order, each draining into the next: the pipeline first (the book worker publishes its
    /// last events), then the pattern workers (they drain the ring), then the signal journals are flushed.
    /// </summary>
    public void Stop()
    {
        try
        {
            _pipeline.Stop();
        }
        finally
        {
            Patterns?.Stop();
        }
    }

    /// <summary>Adds the feed's sections and start-up notes to <paramref name="summary"/>.</summary>
    public void AddTo(RunSummary summary)
    {
        FeedReport.AddTo(summary, Decoder, Books);
        summary.SetCounters("deliver", new Dictionary<string, long> { ["events"] = Deliver.Events, ["top_of_book_changes"] = Deliver.TopChanges });
        Priority.AddTo(summary, Deliver);
        Patterns?.AddTo(summary, Books);
        summary.Notes.AddRange(Notes);
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        Patterns?.Dispose();  // pattern workers, journals, then the ring's arena: after the book worker (its producer) is gone
        Priority.Dispose();   // lane rings: after the workers are gone
    }
}
