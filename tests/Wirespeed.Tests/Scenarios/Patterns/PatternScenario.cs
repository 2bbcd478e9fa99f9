using System;
using System.Collections.Generic;
using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Core.Rings;
using Wirespeed.Core.Agents;

namespace Wirespeed.Tests.Scenarios.Patterns;

/// <summary>Signals collected into a pre-allocated array (no allocation on the worker).</summary>
internal sealed class SignalLog
{
    public readonly Signal[] Items;
    public int Count;
    public int Overflow;

    public SignalLog(int capacity) => Items = new Signal[capacity];

    public ReadOnlySpan<Signal> AsSpan() => Items.AsSpan(0, Count);
}

internal readonly struct LogCallback : ISignalCallback
{
    private readonly SignalLog _log;
    public LogCallback(SignalLog log) => _log = log;

    public void OnSignal(in Signal signal)
    {
        if (_log.Count < _log.Items.Length) _log.Items[_log.Count++] = signal;
        else _log.Overflow++;
    }
}

/// <summary>The planted market run through the pattern stage: single-threaded (agents driven in turn) or on worker threads.</summary>
internal sealed class PatternScenario : IDisposable
{
    public readonly PlantedMarket Market;
    public readonly MarketEvent[] Events;
    public readonly InstrumentTable Instruments;
    private readonly List<AlignedBuffer> _buffers = new();

    public PatternScenario(ulong seed = 7, long events = 200_000)
    {
        Market = new PlantedMarket(new PlantedMarketOptions { Seed = seed, Events = events });
        var list = new MarketEvent[events];
        int n = 0;
        while (Market.Next(out MarketEvent e)) list[n++] = e;
        Events = list;
        Instruments = Market.CreateInstrumentTable();
    }

    public PatternsOptions Options(int workers, IReadOnlyList<PatternOptions>? patterns = null) => new()
    {
        Workers = workers,
        Clock = PatternClock.Virtual,
        Lines = 2,
        MaxInstruments = 256,
        RingCapacity = 4096,
        BatchSize = 256,
        Patterns = patterns ?? PlantedMarket.PatternDefinitions(),
    };

    public unsafe SpmcBroadcast<MarketEvent> Ring(int capacity, int consumers)
    {
        var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(capacity));
        _buffers.Add(buffer);
        return new SpmcBroadcast<MarketEvent>(buffer.Pointer, capacity, consumers);
    }

    public PatternRuntime<CallbackSignalSink<LogCallback>, AllowAllGate> Runtime(PatternsOptions options, SignalLog[] logs,
        SpmcBroadcast<MarketEvent> ring, Func<int, ThreadAllocationProbe?>? probes = null)
    {
        var plan = PatternPlan.Build(options, Instruments);
        return new PatternRuntime<CallbackSignalSink<LogCallback>, AllowAllGate>(plan, ring,
            w => new CallbackSignalSink<LogCallback>(new LogCallback(logs[w])), default, probes);
    }

    /// <summary>Runs every event through <paramref name="workers"/> agents on this thread, in turn; returns each worker's log.</summary>
    public SignalLog[] RunInline(int workers, Action<int>? afterEvent = null)
    {
        var logs = NewLogs(workers);
        var options = Options(workers);
        var ring = Ring(options.RingCapacity, workers);
        var rt = Runtime(options, logs, ring);
        int i = 0;
        while (i < Events.Length)
        {
            while (i < Events.Length && ring.TryWrite(in Events[i])) { i++; afterEvent?.Invoke(i); }
            for (int w = 0; w < workers; w++) while (rt.Agent(w).DoWork() > 0) { }
        }
        return logs;
    }

    /// <summary>Runs every event through worker threads (back-off idle: this VM has two cores), publishing from this thread.</summary>
    public SignalLog[] RunThreaded(int workers, ThreadAllocationProbe[]? probes = null)
    {
        var logs = NewLogs(workers);
        var options = Options(workers);
        var ring = Ring(options.RingCapacity, workers);
        using var rt = Runtime(options, logs, ring, probes is null ? null : w => probes[w]);
        rt.Start(new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff, MaxSpins = 50, MaxYields = 50 });
        for (int i = 0; i < Events.Length; i++)
        {
            while (!ring.TryWrite(in Events[i])) Thread.Yield();
        }
        while (ring.Count > 0) Thread.Sleep(1);
        rt.Stop();
        return logs;
    }

    public static SignalLog[] NewLogs(int workers)
    {
        var logs = new SignalLog[workers];
        for (int w = 0; w < workers; w++) logs[w] = new SignalLog(10_000);
        return logs;
    }

    /// <summary>All workers' signals in one deterministic order: ring position, then pattern id.</summary>
    public static Signal[] Merge(SignalLog[] logs)
    {
        var all = new List<Signal>();
        foreach (var l in logs) all.AddRange(l.AsSpan().ToArray());
        all.Sort((a, b) => a.StreamPosition != b.StreamPosition ? a.StreamPosition.CompareTo(b.StreamPosition) : a.PatternId.CompareTo(b.PatternId));
        return all.ToArray();
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b.Dispose();
    }
}
