using System;
using System.Collections.Generic;
using System.Threading;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Time;
using Xunit;

namespace Wirespeed.Tests.Core.Agents;

/// <summary>
/// Edges of the supervisor: its own misuse (watching or starting after start), workers not there yet or never started,
/// a stall or fault seen again at the next check, a worker that recovers, a restart that throws, a second failure, and
/// a supervisor without alert or failure callbacks. Checks are driven with scripted monotonic times.
/// </summary>
public sealed class WorkerSupervisorEdgeTests : IDisposable
{
    private const long Ms = 1_000_000;
    private readonly List<Worker> _workers = new();
    private readonly List<string> _alerts = new();
    private readonly List<string> _failures = new();

    public void Dispose()
    {
        foreach (var w in _workers) w.Dispose();
    }

    private sealed class Script
    {
        public volatile int Pending;
        public volatile bool Throw;
        public volatile bool Ignore;
        public long Done;
    }

    private readonly struct ScriptedAgent : IAgent
    {
        private readonly Script _s;
        public ScriptedAgent(Script s) => _s = s;
        public void OnStart() { }
        public void OnClose() { }

        public int DoWork()
        {
            if (_s.Throw) throw new InvalidOperationException("agent threw on purpose");
            if (_s.Ignore || _s.Pending == 0) return 0;
            _s.Pending--;
            Interlocked.Increment(ref _s.Done);
            return 1;
        }
    }

    private Worker Created(Script s, string name = "w")
    {
        var w = Worker.Create(new WorkerOptions { Name = name, Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.Yield } },
            new ScriptedAgent(s), onFault: (_, _) => { });
        _workers.Add(w);
        return w;
    }

    private Worker Started(Script s, string name = "w")
    {
        var w = Created(s, name);
        w.Start();
        return w;
    }

    private WorkerSupervisor Supervisor(WorkerFailurePolicy policy)
        => new(new SupervisorOptions { Policy = policy, DeadlineMs = 100, IntervalMs = 10 }, _alerts.Add, _failures.Add);

    /// <summary>Waits until the worker ran at least one more duty cycle (or faulted), then checks at <paramref name="now"/>.</summary>
    private static void CheckAfter(WorkerSupervisor s, long now, Worker w)
    {
        long before = w.Cycles;
        long until = MonoClock.NowNs() + 2_000 * Ms;
        while (w.Cycles == before && w.Fault is null && MonoClock.NowNs() < until) Thread.Sleep(1);
        s.Check(now);
    }

    [Fact]
    public void Watching_or_starting_again_after_start_is_refused_and_the_options_are_kept()
    {
        var options = new SupervisorOptions { Policy = WorkerFailurePolicy.Fail, DeadlineMs = 100, IntervalMs = 10 };
        using var s = new WorkerSupervisor(options, _alerts.Add, _failures.Add);
        Assert.Same(options, s.Options);
        s.Start();
        var watch = Assert.Throws<InvalidOperationException>(() => s.Watch(new SupervisedWorker("w", "test", () => null, null, "all", null)));
        Assert.Equal("add workers before Start", watch.Message);
        var start = Assert.Throws<InvalidOperationException>(s.Start);
        Assert.Equal("supervisor already started", start.Message);
        s.Stop();
        s.Stop();   // idempotent
    }

    [Fact]
    public void A_worker_not_there_yet_or_not_started_is_neither_unhealthy_nor_stopped()
    {
        var s = Supervisor(WorkerFailurePolicy.Fail);
        var absent = s.Watch(new SupervisedWorker("absent", "test", () => null, null, "all", null));
        var created = Created(new Script(), "created");
        var idle = s.Watch(new SupervisedWorker("created", "test", () => created, () => 3, "all", null));
        s.Check(0);
        s.Check(1_000 * Ms);   // far past the deadline: a thread that never started is not stalled
        Assert.Equal(WorkerHealth.NotStarted, absent.Health);
        Assert.Equal(WorkerHealth.Healthy, idle.Health);
        Assert.True(s.AllHealthy);
        Assert.Empty(_alerts);
        created.Stop();
        s.Check(2_000 * Ms);
        Assert.Equal(WorkerHealth.Stopped, idle.Health);
    }

    [Fact]
    public void A_stall_is_reported_once_while_it_lasts_and_progress_again_is_noted()
    {
        var script = new Script { Pending = 1_000_000, Ignore = true };
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Restart);
        int restarts = 0;
        var e = s.Watch(new SupervisedWorker("p", "patterns", () => w, () => script.Pending, "all", () => { restarts++; return null; }));
        CheckAfter(s, 0, w);
        CheckAfter(s, 200 * Ms, w);
        Assert.Equal(WorkerHealth.Stalled, e.Health);
        CheckAfter(s, 300 * Ms, w);
        Assert.Equal(WorkerHealth.Stalled, e.Health);
        Assert.Equal(1, e.Stalls);       // seen again: not counted or restarted again
        Assert.Equal(1, restarts);
        Assert.Single(_alerts);
        Assert.False(s.AllHealthy);

        long done = Interlocked.Read(ref script.Done);
        script.Ignore = false;
        SpinWait.SpinUntil(() => Interlocked.Read(ref script.Done) > done, TimeSpan.FromSeconds(10));
        CheckAfter(s, 400 * Ms, w);
        Assert.Equal(WorkerHealth.Healthy, e.Health);
        Assert.True(s.AllHealthy);
        Assert.Contains("worker p (patterns) is making progress again", s.Notes);
        Assert.Empty(_failures);
    }

    [Fact]
    public void A_fault_seen_again_is_not_counted_twice()
    {
        var script = new Script { Throw = true };
        var w = Started(script);
        var s = Supervisor(WorkerFailurePolicy.Restart);
        int restarts = 0;
        var e = s.Watch(new SupervisedWorker("p", "patterns", () => w, null, "all", () => { restarts++; return null; }));
        Assert.True(w.WaitEnded(TimeSpan.FromSeconds(10)));
        s.Check(0);
        s.Check(10 * Ms);   // the restart "succeeded" but the same faulted thread is still the current one
        Assert.Equal(WorkerHealth.Faulted, e.Health);
        Assert.Equal(1, e.Faults);
        Assert.Equal(1, restarts);
        Assert.Single(_alerts);
    }

    [Fact]
    public void A_restart_that_throws_fails_the_process_naming_the_exception_and_only_the_first_failure_is_the_cause()
    {
        var a = Started(new Script { Throw = true }, "a");
        var b = Started(new Script { Throw = true }, "b");
        var s = Supervisor(WorkerFailurePolicy.Restart);
        var ea = s.Watch(new SupervisedWorker("a", "patterns", () => a, null, "all", () => throw new InvalidOperationException("no thread")));
        var eb = s.Watch(new SupervisedWorker("b", "patterns", () => b, null, "all", null, "b owns the socket"));
        Assert.True(a.WaitEnded(TimeSpan.FromSeconds(10)));
        Assert.True(b.WaitEnded(TimeSpan.FromSeconds(10)));
        s.Check(0);
        Assert.Equal(WorkerHealth.Failed, ea.Health);
        Assert.Equal(WorkerHealth.Failed, eb.Health);
        Assert.Single(_failures);
        Assert.Contains("could not be restarted: the restart threw InvalidOperationException: no thread", _failures[0]);
        Assert.Equal(_failures[0], s.Failed);
        Assert.Contains(s.Notes, n => n.Contains("policy fail (restart not possible)", StringComparison.Ordinal));
        Assert.False(s.AllHealthy);
        s.Check(10 * Ms);   // failed workers are not looked at again
        Assert.Single(_failures);
        Assert.Equal(1, ea.Faults);
    }

    [Fact]
    public void Without_callbacks_a_failure_is_still_recorded()
    {
        var w = Started(new Script { Throw = true });
        var s = new WorkerSupervisor(new SupervisorOptions { Policy = WorkerFailurePolicy.Fail, DeadlineMs = 100, IntervalMs = 10 }, null, null);
        var e = s.Watch(new SupervisedWorker("w", "book", () => w, null, "all", null));
        Assert.True(w.WaitEnded(TimeSpan.FromSeconds(10)));
        s.Check(0);   // alerts go to standard error
        Assert.Equal(WorkerHealth.Failed, e.Health);
        Assert.Equal("worker w (book) threw InvalidOperationException: agent threw on purpose", s.Failed);
    }
}
