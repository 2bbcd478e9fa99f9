using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Signals;

/// <summary>
/// Receives signals on the pattern worker's thread. Implemented by structs (the worker is generic over the sink), so
/// delivery is a direct call. Must not block and must not allocate: a network sink (FIX, Aeron: later issues) copies the
/// signal into its own pre-allocated ring or frame and returns. Each worker owns its own sink instance: no sharing.
/// </summary>
public interface ISignalSink
{
    /// <summary>One signal; <paramref name="signal"/> is valid for the call only.</summary>
    void OnSignal(in Signal signal);
}

/// <summary>In-process consumer of signals (strategy code), called on the worker thread.</summary>
public interface ISignalCallback
{
    void OnSignal(in Signal signal);
}

/// <summary>The in-process sink: forwards every signal to a struct callback, a direct call the JIT can inline.</summary>
public struct CallbackSignalSink<TCallback> : ISignalSink where TCallback : struct, ISignalCallback
{
    private TCallback _callback;   // mutable struct: never readonly

    public CallbackSignalSink(TCallback callback) => _callback = callback;

    public TCallback Callback => _callback;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnSignal(in Signal signal) => _callback.OnSignal(in signal);
}

/// <summary>Delivers each signal to two sinks in order (e.g. the callback, then the journal).</summary>
public struct TeeSignalSink<TFirst, TSecond> : ISignalSink
    where TFirst : struct, ISignalSink
    where TSecond : struct, ISignalSink
{
    private TFirst _first;
    private TSecond _second;

    public TeeSignalSink(TFirst first, TSecond second)
    {
        _first = first;
        _second = second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnSignal(in Signal signal)
    {
        _first.OnSignal(in signal);
        _second.OnSignal(in signal);
    }
}

/// <summary>Journal sink: appends each signal to a <see cref="SignalJournalWriter"/> owned by this worker.</summary>
public readonly struct JournalSignalSink : ISignalSink
{
    private readonly SignalJournalWriter _writer;

    public JournalSignalSink(SignalJournalWriter writer) => _writer = writer;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnSignal(in Signal signal) => _writer.Append(in signal);
}
