using System.Runtime.CompilerServices;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Signals;

namespace Wirespeed.Hosting.Detection;

/// <summary>
/// The product's signal sink, one per pattern worker, on that worker's thread: records the detection latency
/// (triggering packet's receive timestamp → detection, both monotonic ns), appends to the worker's journal when one is
/// configured (a journal whose disk fails disables itself, counts and alerts: it never throws into the worker, see
/// <see cref="SignalJournalWriter"/>), then hands the signal to the in-process callback. Counting per pattern (delivered, suppressed,
/// throttled) is the emitter's, before the sink. Generic over the callback, so every call is direct; allocation-free.
/// </summary>
public struct HostSignalSink<TCallback> : ISignalSink where TCallback : struct, ISignalCallback
{
    private readonly StageMetrics? _latency;
    private readonly SignalJournalWriter? _journal;
    private TCallback _callback;   // mutable struct: never readonly

    /// <param name="latency">Detection latency of this worker; null when detection time is virtual (nothing to measure).</param>
    /// <param name="journal">This worker's journal, or null when the journal is off.</param>
    /// <param name="callback">The in-process consumer.</param>
    public HostSignalSink(StageMetrics? latency, SignalJournalWriter? journal, TCallback callback)
    {
        _latency = latency;
        _journal = journal;
        _callback = callback;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnSignal(in Signal signal)
    {
        _latency?.Record(signal.DetectionTimestampNs - signal.ReceiveTimestampNs);
        _journal?.Append(in signal);
        _callback.OnSignal(in signal);
    }
}

/// <summary>The in-process callback when no strategy is attached: signals are counted by the emitter and journalled, nothing more.</summary>
public readonly struct NoSignalCallback : ISignalCallback
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnSignal(in Signal signal) { }
}
