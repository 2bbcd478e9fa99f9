using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// One worker's signal path: fills the engine's fields of a signal (pattern id, timestamps, sequence, stream position),
/// advances "A then B" sequences, applies the gate (suppress, throttle) and delivers to the worker's sink. Owned by
/// one worker thread; its counters may be read by the monitor (approximate while running).
/// </summary>
public sealed class SignalEmitter<TSink, TGate>
    where TSink : struct, ISignalSink
    where TGate : struct, ISignalGate
{
    private TSink _sink;              // mutable structs: never readonly
    private TGate _gate;
    private readonly PatternClock _clock;
    private readonly long _throttleNs;
    private readonly long[] _lastDelivered;      // per pattern id, exchange ns; for Throttle
    private readonly int[][] _sequencesAfterFirst; // per pattern id: sequence pattern ids whose First it is
    private readonly int[][] _sequencesAfterThen;  // per pattern id: sequence pattern ids whose Then it is
    private readonly ThenWithin[] _sequences;      // per pattern id (used for Sequence patterns only)
    private readonly long[] _perKind = new long[8];
    // Per pattern id: detected, delivered, suppressed, throttled (4 slots each, one array: one bounds check per update).
    private readonly long[] _perPattern;

    /// <remarks>patternCount: number of pattern ids (the whole configuration). sequences: (id, first id, then id,
    /// within ns) of the Sequence patterns this worker runs. throttleNs: interval of the Throttle policy, event time.</remarks>
    public SignalEmitter(TSink sink, TGate gate, PatternClock clock, long throttleNs, int patternCount,
                         (int Id, int First, int Then, long WithinNs)[] sequences)
    {
        _sink = sink;
        _gate = gate;
        _clock = clock;
        _throttleNs = throttleNs;
        _lastDelivered = new long[patternCount];
        _perPattern = new long[patternCount * 4];
        System.Array.Fill(_lastDelivered, long.MinValue / 2);
        _sequences = new ThenWithin[patternCount];
        var afterFirst = new System.Collections.Generic.List<int>[patternCount];
        var afterThen = new System.Collections.Generic.List<int>[patternCount];
        for (int i = 0; i < patternCount; i++)
        {
            afterFirst[i] = new();
            afterThen[i] = new();
        }
        foreach (var s in sequences)
        {
            _sequences[s.Id] = new ThenWithin(s.WithinNs);
            afterFirst[s.First].Add(s.Id);
            afterThen[s.Then].Add(s.Id);
        }
        _sequencesAfterFirst = new int[patternCount][];
        _sequencesAfterThen = new int[patternCount][];
        for (int i = 0; i < patternCount; i++)
        {
            _sequencesAfterFirst[i] = afterFirst[i].ToArray();
            _sequencesAfterThen[i] = afterThen[i].ToArray();
        }
    }

    /// <summary>Ring position of the event being evaluated; set by the agent before dispatch.</summary>
    public long Position;

    /// <summary>The sink (e.g. to read a callback's state after a run).</summary>
    public ref TSink Sink => ref _sink;

    /// <summary>Signals detected (before the gate), delivered, suppressed and throttled.</summary>
    public long Detected { get; private set; }
    public long Delivered { get; private set; }
    public long Suppressed { get; private set; }
    public long Throttled { get; private set; }

    /// <summary>Signals detected of one kind.</summary>
    public long DetectedOf(PatternKind kind) => (uint)kind < (uint)_perKind.Length ? _perKind[(int)kind] : 0;

    /// <summary>Signals of pattern id <paramref name="patternId"/>: detected (before the gate), delivered, suppressed and
    /// throttled. Approximate while the worker runs; exact once it has stopped.</summary>
    public PatternSignalCounts CountsOf(int patternId)
    {
        int at = patternId * 4;
        if ((uint)at >= (uint)_perPattern.Length) return default;
        return new PatternSignalCounts(_perPattern[at], _perPattern[at + 1], _perPattern[at + 2], _perPattern[at + 3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ThresholdMultiplier(int instrument) => _gate.ThresholdMultiplier(instrument);

    /// <summary>A pattern fired on <paramref name="evt"/>: completes the signal, advances sequences, gates and delivers.</summary>
    public void Emit(int patternId, ref Signal signal, ref MarketEvent evt)
    {
        signal.PatternId = patternId;
        signal.ReceiveTimestampNs = evt.ReceiveTimestampNs;
        signal.ExchangeTimestampNs = evt.ExchangeTimestampNs;
        signal.FeedSequence = evt.Sequence;
        signal.StreamPosition = Position;
        // Monotonic: a measurement (detection latency), not a decision; the one field by which a live journal differs from a
        // replay of its recording. A live run with patterns.clock virtual writes what the replay writes.
        signal.DetectionTimestampNs = _clock == PatternClock.Virtual ? evt.ReceiveTimestampNs : MonoClock.NowNs();
        Detected++;
        _perKind[(int)signal.Kind & 7]++;
        _perPattern[patternId * 4]++;
        Deliver(ref signal);
        AdvanceSequences(patternId, ref signal, ref evt);
    }

    private void AdvanceSequences(int patternId, ref Signal signal, ref MarketEvent evt)
    {
        long t = evt.ExchangeTimestampNs;
        int[] thens = _sequencesAfterThen[patternId];
        for (int i = 0; i < thens.Length; i++)
        {
            int seq = thens[i];
            if (!_sequences[seq].Then(t)) continue;
            Signal composite = signal;            // carries the Then signal's instruments and strength
            composite.Kind = PatternKind.Sequence;
            // Sequence ids form a DAG (validated at start-up), so this recursion ends.
            Emit(seq, ref composite, ref evt);
        }
        int[] firsts = _sequencesAfterFirst[patternId];
        for (int i = 0; i < firsts.Length; i++) _sequences[firsts[i]].First(t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Deliver(ref Signal signal)
    {
        SignalPolicy policy = _gate.PolicyFor(signal.Instrument);
        if (policy == SignalPolicy.Suppress)
        {
            Suppressed++;
            _perPattern[signal.PatternId * 4 + 2]++;
            return;
        }
        if (policy == SignalPolicy.Throttle)
        {
            ref long last = ref _lastDelivered[signal.PatternId];
            if (signal.ExchangeTimestampNs - last < _throttleNs)
            {
                Throttled++;
                _perPattern[signal.PatternId * 4 + 3]++;
                return;
            }
            last = signal.ExchangeTimestampNs;
        }
        Delivered++;
        _perPattern[signal.PatternId * 4 + 1]++;
        _sink.OnSignal(in signal);
    }
}

/// <summary>Signals of one pattern instance, as its worker's emitter counted them.</summary>
public readonly record struct PatternSignalCounts(long Detected, long Delivered, long Suppressed, long Throttled);
