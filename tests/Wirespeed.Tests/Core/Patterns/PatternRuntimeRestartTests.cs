using System;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Tests.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Patterns;

/// <summary>
/// The pattern runtime's worker lifecycle: a restart asked for before any start is refused with the reason, a faulted
/// worker's fault comes out of Stop, and a restart after it runs the plain agent (the injected fault fires once) on the
/// configured CPU.
/// </summary>
public class PatternRuntimeRestartTests
{
    private readonly struct CountCallback : ISignalCallback
    {
        public readonly int[] Count;
        public CountCallback(int[] count) => Count = count;
        public void OnSignal(in Signal s) => Count[0]++;
    }

    [Fact]
    public unsafe void A_faulted_worker_throws_from_stop_and_a_restart_replaces_it_on_its_cpu()
    {
        var table = new InstrumentTable(16);
        table.TrySet(1, "AAA", 100);
        var plan = PatternPlan.Build(new PatternsOptions
        {
            Workers = 1,
            Cpus = [0],
            Patterns = [new PatternOptions { Name = "m", Kind = PatternKind.Momentum, Legs = [new PatternLegOptions { Symbol = "AAA" }] }],
        }, table);
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(16));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 16, 1);
        var count = new int[1];
        using var runtime = new PatternRuntime<CallbackSignalSink<CountCallback>, AllowAllGate>(plan, ring,
            _ => new CallbackSignalSink<CountCallback>(new CountCallback(count)), default);
        Assert.Equal(1, runtime.Workers);
        Assert.Null(runtime.WorkerAt(0));
        Assert.Equal("the worker was never started", runtime.Restart(0, 100));
        Assert.Equal(0, runtime.Restarts(0));

        using var injection = new FaultInjection(InjectedFault.Throw, afterWork: 0);
        runtime.Inject(0, injection);
        runtime.Start(new IdleStrategyOptions { Kind = IdleStrategyKind.Yield });
        var first = runtime.WorkerAt(0)!;
        Assert.Equal(0, first.Cpu);
        Assert.True(first.WaitEnded(TimeSpan.FromSeconds(10)));
        Assert.True(injection.Fired);
        var e = Assert.Throws<WorkerFaultException>(runtime.Stop);
        Assert.Equal("patterns.0", e.Worker);
        Assert.Contains("injected fault", e.InnerException!.Message);

        Assert.Null(runtime.Restart(0, 1000));
        Assert.Equal(1, runtime.Restarts(0));
        var second = runtime.WorkerAt(0)!;
        Assert.NotSame(first, second);
        Assert.Equal(0, second.Cpu);
        runtime.Stop();   // the restarted worker runs the plain agent: nothing to throw
        Assert.Null(second.Fault);
        Assert.Equal(0, count[0]);
    }
}
