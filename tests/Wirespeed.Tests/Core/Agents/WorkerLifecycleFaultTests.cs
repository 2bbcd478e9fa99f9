using System;
using System.Threading;
using Wirespeed.Core.Agents;
using Xunit;

namespace Wirespeed.Tests.Core.Agents;

/// <summary>
/// Faults outside the duty cycle: an agent that throws while starting or closing, a fault callback that throws itself,
/// and a worker stopped before it was ever started.
/// </summary>
public class WorkerLifecycleFaultTests
{
    private static WorkerOptions Options(string name)
        => new() { Name = name, Cpu = -1, Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.Yield } };

    private sealed class Calls
    {
        public int Work;
        public int Closes;
    }

    /// <summary>Throws from OnStart or OnClose as told; counts duty cycles and closes.</summary>
    private readonly struct ThrowingAgent : IAgent
    {
        private readonly Calls _calls;
        private readonly bool _throwOnStart;
        private readonly bool _throwOnClose;

        public ThrowingAgent(Calls calls, bool throwOnStart, bool throwOnClose)
        {
            _calls = calls;
            _throwOnStart = throwOnStart;
            _throwOnClose = throwOnClose;
        }

        public void OnStart()
        {
            if (_throwOnStart) throw new InvalidOperationException("start failed");
        }

        public int DoWork()
        {
            Interlocked.Increment(ref _calls.Work);
            return 0;
        }

        public void OnClose()
        {
            _calls.Closes++;
            if (_throwOnClose) throw new InvalidOperationException("close failed");
        }
    }

    [Fact]
    public void A_worker_stopped_before_it_started_ends_stopped_without_a_fault_and_may_be_stopped_and_disposed_again()
    {
        var calls = new Calls();
        using var worker = Worker.Create(Options("never"), new ThrowingAgent(calls, false, false));
        Assert.Equal(WorkerState.Created, worker.State);
        worker.Stop();
        Assert.Equal(WorkerState.Stopped, worker.State);
        worker.Stop();   // safe more than once
        Assert.Equal(WorkerState.Stopped, worker.State);
        Assert.Null(worker.Fault);
        Assert.True(worker.WaitEnded(TimeSpan.Zero));
        Assert.Equal(0, calls.Work);
        Assert.Equal(0, calls.Closes);
    }

    [Fact]
    public void An_agent_that_throws_while_starting_never_runs_a_duty_cycle_is_still_closed_and_faults_the_worker()
    {
        var calls = new Calls();
        Exception? reported = null;
        var worker = Worker.Create(Options("bad-start"), new ThrowingAgent(calls, true, false), (_, e) => reported = e);
        worker.Start();
        Assert.True(worker.WaitEnded(TimeSpan.FromSeconds(10)));
        var e = Assert.Throws<WorkerFaultException>(worker.Stop);
        Assert.Equal("bad-start", e.Worker);
        Assert.Equal("start failed", e.InnerException!.Message);
        Assert.Same(e.InnerException, reported);
        Assert.Equal(WorkerState.Faulted, worker.State);
        Assert.Equal(0, calls.Work);
        Assert.Equal(1, calls.Closes);
        worker.Dispose();
    }

    [Fact]
    public void An_agent_that_throws_while_closing_faults_the_worker_after_a_clean_run()
    {
        var calls = new Calls();
        Exception? reported = null;
        var worker = Worker.Create(Options("bad-close"), new ThrowingAgent(calls, false, true), (_, e) => reported = e);
        worker.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref calls.Work) > 0, TimeSpan.FromSeconds(10));
        var e = Assert.Throws<WorkerFaultException>(worker.Stop);
        Assert.Equal("close failed", e.InnerException!.Message);
        Assert.Same(e.InnerException, reported);
        Assert.Equal(WorkerState.Faulted, worker.State);
        Assert.True(calls.Work > 0);
        Assert.Equal(1, calls.Closes);
        worker.Dispose();
    }

    [Fact]
    public void A_fault_callback_that_throws_does_not_lose_the_agents_fault()
    {
        var calls = new Calls();
        int callbacks = 0;
        var worker = Worker.Create(Options("bad-callback"), new ThrowingAgent(calls, true, false), (_, _) =>
        {
            Interlocked.Increment(ref callbacks);
            throw new InvalidOperationException("callback failed");
        });
        worker.Start();
        var e = Assert.Throws<WorkerFaultException>(worker.Stop);
        Assert.Equal("start failed", e.InnerException!.Message);   // the agent's fault, not the callback's
        Assert.Equal(1, callbacks);
        Assert.Equal(WorkerState.Faulted, worker.State);
        worker.Dispose();
    }
}
