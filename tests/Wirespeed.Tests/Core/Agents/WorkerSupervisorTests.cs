using System;
using System.Collections.Generic;
using System.Threading;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Time;
using Xunit;

namespace Wirespeed.Tests.Core.Agents;

/// <summary>
/// The supervisor against real workers whose agents a test makes idle, busy, throw or stall; its checks are driven with
/// a scripted monotonic time so that deadlines pass when the test says so.
/// </summary>
public sealed class WorkerSupervisorTests : IDisposable
{
    private const long Ms = 1_000_000;
    private readonly List<Worker> _workers = new();
    private readonly List<string> _alerts = new();
    private readonly List<string> _failures = new();

    public void Dispose()
    {
        foreach (var w in _workers) w.Dispose();
    }

    /// <summary>What a test agent does; the test changes it while the worker runs.</summary>
    private sealed class Script
    {
        public volatile int Pending;          // items "waiting in its ring"
        public volatile bool Throw;
        public volatile bool Ignore;          // finds the items but does none (livelock)
        public readonly ManualResetEventSlim Unblocked = new(true);
        public long Done;
    }

    private struct ScriptedAgent : IAgent
    {
        private readonly Script _s;
        public ScriptedAgent(Script s) => _s = s;
        public readonly void OnStart() { }
        public readonly void OnClose() { }

        public readonly int DoWork()
        {
            _s.Unblocked.Wait();
            if (_s.Throw) throw new InvalidOperationException("agent threw on purpose");
            if (_s.Ignore || _s.Pending == 0) return 0;
            _s.Pending--;
            Interlocked.Increment(ref _s.Done);
            return 1;
        }
    }

    private Worker Started(Script s, string name = "w")
    {
        var w = Worker.Create(new WorkerOptions { Name = name, Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff } }, new ScriptedAgent(s),
            onFault: (_, _) => { });   // the supervisor reports it
        _workers.Add(w);
        w.Start();
        return w;
    }

    private WorkerSupervisor Supervisor(WorkerFailurePolicy policy)
        => new(new SupervisorOptions { Policy = policy, DeadlineMs = 100, IntervalMs = 10 }, _alerts.Add, _failures.Add);

    /// <summary>Lets the worker run real cycles, then checks at scripted time <paramref name="now"/>.</summary>
    private static void CheckAfter(WorkerSupervisor s, long now, Worker? w = null)
    {
        long before = w?.Cycles ?? 0;
        long until = MonoClock.NowNs() + 2_000 * Ms;
        while (w is not null && w.Cycles == before && w.Fault is null && MonoClock.NowNs() < until) Thread.Sleep(1);
        s.Check(now);
    }

    [Fact]
    public void An_idle_worker_with_nothing_to_do_stays_healthy_however_long_it_idles()
    {
        var script = new Script();
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Fail);
        var e = s.Watch(new SupervisedWorker("w", "test", () => w, () => script.Pending, "all", restart: null));
        for (long t = 0; t <= 1000 * Ms; t += 150 * Ms) CheckAfter(s, t, w);
        Assert.Equal(WorkerHealth.Healthy, e.Health);
        Assert.True(s.AllHealthy);
        Assert.Empty(_alerts);
        Assert.True(e.Progress > 0);
    }

    [Fact]
    public void A_worker_that_throws_is_reported_with_its_instruments_and_restarted_under_the_restart_policy()
    {
        var script = new Script();
        Worker current = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Restart);
        int restarts = 0;
        var e = s.Watch(new SupervisedWorker("patterns.0", "patterns", () => current, () => script.Pending, "2: AAAA, AAAB", restart: () =>
        {
            restarts++;
            script.Throw = false;
            current = Started(script, "patterns.0");
            return null;
        }));
        s.Check(0);
        script.Throw = true;
        HostWait(() => current.Fault is not null);
        s.Check(10 * Ms);
        Assert.Equal(1, restarts);
        Assert.Equal((1L, 1L), (e.Faults, e.Restarts));
        var alert = Assert.Single(_alerts);
        Assert.Equal("wirespeed alert kind=worker_faulted worker=patterns.0 role=patterns instruments=2:_AAAA,_AAAB policy=restart cause=threw_InvalidOperationException:_agent_threw_on_purpose", alert);
        Assert.Contains(s.Notes, n => n.Contains("instruments marked: 2: AAAA, AAAB", StringComparison.Ordinal));
        Assert.Empty(_failures);

        // The new thread is watched from the next check: it works, and the supervisor says so.
        script.Pending = 5;
        CheckAfter(s, 20 * Ms, current);
        HostWait(() => script.Pending == 0);
        CheckAfter(s, 30 * Ms, current);
        Assert.Equal(WorkerHealth.Healthy, e.Health);
        Assert.True(s.AllHealthy);
    }

    [Fact]
    public void A_worker_that_throws_under_the_fail_policy_fails_the_process_with_the_cause()
    {
        var script = new Script();
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Fail);
        bool restartCalled = false;
        var e = s.Watch(new SupervisedWorker("patterns.1", "patterns", () => w, null, "1: CAAA", restart: () => { restartCalled = true; return null; }));
        script.Throw = true;
        HostWait(() => w.Fault is not null);
        s.Check(0);
        Assert.False(restartCalled);
        Assert.Equal(WorkerHealth.Failed, e.Health);
        Assert.False(s.AllHealthy);
        string failure = Assert.Single(_failures);
        Assert.Equal("worker patterns.1 (patterns) threw InvalidOperationException: agent threw on purpose", failure);
        Assert.Equal(failure, s.Failed);
        Assert.Equal(2, _alerts.Count);   // the fault, then the failure
        Assert.StartsWith("wirespeed alert kind=worker_failed worker=patterns.1", _alerts[1]);
    }

    [Fact]
    public void A_worker_stuck_inside_a_duty_cycle_is_stalled_past_the_deadline_not_before()
    {
        var script = new Script();
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Fail);
        var e = s.Watch(new SupervisedWorker("main", "receive+book", () => w, null, "all", restart: null, cannotRestart: "book workers cannot be restarted"));
        HostWait(() => w.Cycles > 0);
        script.Unblocked.Reset();                 // the next DoWork blocks
        Thread.Sleep(20);
        long cyclesAtStall = w.Cycles;
        s.Check(50 * Ms);                         // first look: the stall counts from here
        s.Check(140 * Ms);
        Assert.Equal(WorkerHealth.Healthy, e.Health);   // within the 100 ms deadline
        Thread.Sleep(20);
        Assert.Equal(cyclesAtStall, w.Cycles);
        s.Check(200 * Ms);
        Assert.Equal(WorkerHealth.Failed, e.Health);
        Assert.Equal(1, e.Stalls);
        Assert.Contains("kind=worker_stalled worker=main role=receive+book instruments=all policy=fail", _alerts[0]);
        Assert.Contains("no_duty_cycle_for", _alerts[0]);
        Assert.Equal("worker main (receive+book) stalled: no duty cycle for 150 ms (deadline 100 ms)", Assert.Single(_failures));
        script.Unblocked.Set();
    }

    [Fact]
    public void The_restart_policy_falls_back_to_fail_for_a_worker_that_cannot_be_restarted()
    {
        var script = new Script();
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Restart);
        s.Watch(new SupervisedWorker("main", "receive+book", () => w, null, "all", restart: null, cannotRestart: "its books would miss events"));
        script.Throw = true;
        HostWait(() => w.Fault is not null);
        s.Check(0);
        Assert.Contains("policy=fail_(restart_not_possible)", _alerts[0]);
        Assert.Equal("worker main (receive+book) threw InvalidOperationException: agent threw on purpose (its books would miss events)", Assert.Single(_failures));
    }

    [Fact]
    public void A_restart_that_cannot_be_done_fails_with_both_causes()
    {
        var script = new Script();
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Restart);
        s.Watch(new SupervisedWorker("patterns.0", "patterns", () => w, null, "1: X", restart: () => "its thread did not end"));
        script.Throw = true;
        HostWait(() => w.Fault is not null);
        s.Check(0);
        Assert.Equal("worker patterns.0 (patterns) threw InvalidOperationException: agent threw on purpose, and it could not be restarted: its thread did not end", Assert.Single(_failures));
    }

    [Fact]
    public void A_worker_that_cycles_but_leaves_its_input_waiting_is_stalled_and_recovers_when_it_works_again()
    {
        var script = new Script { Ignore = true };
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Restart);
        var e = s.Watch(new SupervisedWorker("patterns.0", "patterns", () => w, () => script.Pending, "1: X", restart: () => "not in this test"));
        // A detector only: fail is not wanted here, so watch how health reads before the policy applies.
        CheckAfter(s, 0, w);
        script.Pending = 7;
        CheckAfter(s, 50 * Ms, w);
        CheckAfter(s, 90 * Ms, w);
        Assert.Equal(WorkerHealth.Healthy, e.Health);
        CheckAfter(s, 200 * Ms, w);
        Assert.Equal(1, e.Stalls);
        Assert.Contains("stalled: 7 items waiting and no work done for 200 ms (deadline 100 ms)", e.LastCause);
    }

    [Fact]
    public void The_workers_section_says_state_progress_faults_and_restarts_per_worker()
    {
        var script = new Script();
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Fail);
        s.Watch(new SupervisedWorker("patterns.0", "patterns", () => w, null, "1: X", restart: null));
        CheckAfter(s, 0, w);
        CheckAfter(s, 10 * Ms, w);
        var c = s.Counters();
        Assert.Equal((long)WorkerHealth.Healthy, c["patterns_0_state"]);
        Assert.True(c["patterns_0_progress"] > 0);
        Assert.Equal((0L, 0L, 1L, 1L), (c["patterns_0_faults"], c["patterns_0_restarts"], c["watched"], c["all_healthy"]));
    }

    private static void HostWait(Func<bool> done)
    {
        long until = MonoClock.NowNs() + 10_000 * Ms;
        while (!done())
        {
            Assert.True(MonoClock.NowNs() < until, "timed out");
            Thread.Sleep(1);
        }
    }
}
