using System.Collections.Generic;
using System.Diagnostics;
using Wirespeed.Core.Pipeline;
using Xunit;
using Wirespeed.Core.Agents;
using Wirespeed.Tests.Core.Pipeline;

namespace Wirespeed.Tests.Core.Agents;

public class IdleStrategyTests
{
    [Fact]
    public void Back_off_spins_then_yields_then_parks()
    {
        var idle = new BackOffIdleStrategy(maxSpins: 3, maxYields: 2, minParkUs: 1000, maxParkUs: 4000);
        Assert.Equal(BackOffPhase.NotIdle, idle.Phase);

        var phases = new List<BackOffPhase>();
        for (int i = 0; i < 6; i++)
        {
            idle.Idle(0);
            phases.Add(idle.Phase);
        }

        Assert.Equal(new[]
        {
            BackOffPhase.Spinning, BackOffPhase.Spinning, BackOffPhase.Spinning,
            BackOffPhase.Yielding, BackOffPhase.Yielding,
            BackOffPhase.Parking,
        }, phases);
    }

    [Fact]
    public void Back_off_parks_grow_to_the_maximum_and_stay_there()
    {
        var idle = new BackOffIdleStrategy(maxSpins: 0, maxYields: 0, minParkUs: 1000, maxParkUs: 4000);
        var parks = new List<int>();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 5; i++)
        {
            parks.Add(idle.NextParkUs);
            idle.Idle();
        }

        Assert.Equal(new[] { 1000, 2000, 4000, 4000, 4000 }, parks);
        Assert.True(sw.ElapsedMilliseconds >= 1 + 2 + 4 + 4 + 4 - 2, $"parks took only {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Back_off_parks_with_a_timer_slack_of_one_microsecond()
    {
        // The kernel's default slack (50 µs) would stretch every short park; the strategy narrows it on its thread.
        long before = -1, after = -1;
        int set = -1;
        var thread = new System.Threading.Thread(() =>
        {
            // A thread inherits its creator's slack, and the creator may have parked in an earlier test: start wide.
            // (Asserts stay on the test thread: one failing here would end the test host, not the test.)
            set = Wirespeed.Interop.ThreadSleep.TrySetTimerSlack(50_000);
            before = Wirespeed.Interop.ThreadSleep.TimerSlack();
            var idle = new BackOffIdleStrategy(maxSpins: 0, maxYields: 0, minParkUs: 10, maxParkUs: 10);
            idle.Idle();
            after = Wirespeed.Interop.ThreadSleep.TimerSlack();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(0, set);
        Assert.Equal(50_000, before);
        Assert.Equal(BackOffIdleStrategy.TimerSlackNs, after);
    }

    [Fact]
    public void Back_off_resets_when_work_is_found()
    {
        var idle = new BackOffIdleStrategy(maxSpins: 1, maxYields: 1, minParkUs: 1000, maxParkUs: 8000);
        for (int i = 0; i < 5; i++) idle.Idle(0);
        Assert.Equal(BackOffPhase.Parking, idle.Phase);
        Assert.Equal(8000, idle.NextParkUs);

        idle.Idle(workCount: 1);

        Assert.Equal(BackOffPhase.NotIdle, idle.Phase);
        Assert.Equal(1000, idle.NextParkUs);
        idle.Idle(0);
        Assert.Equal(BackOffPhase.Spinning, idle.Phase);
    }

    [Fact]
    public void Configured_strategy_uses_the_back_off_of_its_options()
    {
        var idle = new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff, MaxSpins = 1, MaxYields = 1, MinParkUs = 1000, MaxParkUs = 1000 }.Create();
        Assert.Equal(IdleStrategyKind.BackOff, idle.Kind);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 5; i++) idle.Idle(0);        // spin, yield, then three 1 ms parks
        Assert.True(sw.ElapsedMilliseconds >= 2, $"took {sw.ElapsedMilliseconds} ms: the back-off never parked");
    }

    [Fact]
    public void Busy_spin_never_sleeps()
    {
        var idle = new IdleStrategyOptions { Kind = IdleStrategyKind.BusySpin }.Create();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++) idle.Idle(0);
        Assert.True(sw.ElapsedMilliseconds < 500, $"1000 busy-spin idles took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Idle_options_validation_names_each_bad_field()
    {
        var errors = new List<string>();
        new IdleStrategyOptions { Kind = (IdleStrategyKind)9, MaxSpins = -1, MaxYields = -2, MinParkUs = 0, MaxParkUs = -1 }
            .Validate("pipeline.workers[0].idle", errors);

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("pipeline.workers[0].idle.kind=9: unknown idle strategy; use one of BusySpin, Yield, BackOff"));
        Assert.Contains(errors, e => e.StartsWith("pipeline.workers[0].idle.maxSpins=-1"));
        Assert.Contains(errors, e => e.StartsWith("pipeline.workers[0].idle.maxYields=-2"));
        Assert.Contains(errors, e => e.StartsWith("pipeline.workers[0].idle.minParkUs=0"));
        Assert.Contains(errors, e => e.StartsWith("pipeline.workers[0].idle.maxParkUs=-1"));
    }
}
