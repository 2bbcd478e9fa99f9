using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Signals;

namespace Wirespeed.Benchmarks.Patterns;

/// <summary>
/// What the circuit-breaker gate adds to a pattern worker: per evaluated event the threshold multiplier, per detection
/// the policy. One operation = both queries for one instrument, over 1,024 instruments; the breaker gate reads levels
/// (two acquire loads each) of a <see cref="BreakerState"/> with every instrument at Normal, as on a calm day.
/// Baseline: <see cref="AllowAllGate"/> (constants). Both are structs the emitter is generic over: direct calls.
/// </summary>
[MemoryDiagnoser]
public class SignalGateBenchmarks
{
    private const int Instruments = 1024;
    private BreakerSignalGate _breakers;

    [GlobalSetup]
    public void Setup() => _breakers = new BreakerSignalGate(new BreakerState(new BreakerOptions { MaxInstruments = Instruments, MaxSectors = 8 }));

    [Benchmark(Baseline = true, OperationsPerInvoke = Instruments)]
    public double AllowAll() => Run(default(AllowAllGate));

    [Benchmark(OperationsPerInvoke = Instruments)]
    public double Breakers() => Run(_breakers);

    private static double Run<TGate>(TGate gate) where TGate : struct, ISignalGate
    {
        double sum = 0;
        for (int i = 0; i < Instruments; i++) sum += gate.ThresholdMultiplier(i) + (int)gate.PolicyFor(i);
        return sum;
    }
}
