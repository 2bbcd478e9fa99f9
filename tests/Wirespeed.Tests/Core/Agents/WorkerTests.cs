using System;
using System.Threading;
using Wirespeed.Core.Pipeline;
using Wirespeed.Interop;
using Xunit;
using Wirespeed.Core.Agents;
using Wirespeed.Tests.Core.Pipeline;

namespace Wirespeed.Tests.Core.Agents;

public class WorkerTests
{
    private static WorkerOptions Options(string name, int cpu = -1)
        => new() { Name = name, Cpu = cpu, Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff, MaxSpins = 10, MaxYields = 10 } };

    /// <summary>Work items shared between the test thread and an agent.</summary>
    private sealed class Shared
    {
        public readonly ManualResetEventSlim Gate = new(false);
        public int Pending;
        public int Done;
        public int Starts;
        public int Closes;
        public int[] Affinity = [];
        public int ThreadId;
        public Exception? Throw;
    }

    /// <summary>One item per DoWork; the first DoWork waits for the gate, so the test controls when work may start.</summary>
    private struct GatedAgent : IAgent
    {
        private readonly Shared _s;

        public GatedAgent(Shared s) => _s = s;

        public readonly void OnStart()
        {
            _s.Starts++;
            _s.ThreadId = ThreadAffinity.CurrentThreadId();
            Span<int> cpus = stackalloc int[64];
            int n = ThreadAffinity.TryGetCurrentThread(cpus);
            _s.Affinity = n >= 0 ? cpus[..n].ToArray() : [n];
        }

        public readonly int DoWork()
        {
            _s.Gate.Wait();
            if (_s.Throw != null && _s.Done == 3) throw _s.Throw;
            if (Volatile.Read(ref _s.Pending) == 0) return 0;
            Interlocked.Decrement(ref _s.Pending);
            _s.Done++;
            return 1;
        }

        public readonly void OnClose() => _s.Closes++;
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem_named_before_a_thread_starts()
    {
        var s = new Shared();
        var e = Assert.Throws<WorkerConfigException>(() => Worker.Create(Options("") with { BatchSize = 0, DrainTimeoutMs = -1 }, new GatedAgent(s)));
        Assert.Contains("worker.name is empty", e.Message);
        Assert.Contains($"worker.batchSize=0: must be in 1..{WorkerOptions.MaxBatchSize}", e.Message);
        Assert.Contains("worker.drainTimeoutMs=-1", e.Message);
        Assert.Equal(3, e.Errors.Count);
        Assert.Equal(0, s.Starts);
    }

    [Fact]
    public void Stop_drains_work_that_was_queued_before_the_stop()
    {
        var s = new Shared { Pending = 5000 };
        using var worker = Worker.Create(Options("drain"), new GatedAgent(s));
        worker.Start();

        worker.RequestStop();          // the loop is held at the gate: none of the 5000 items has been touched yet
        Assert.Equal(0, s.Done);
        s.Gate.Set();
        worker.Stop();

        Assert.Equal(5000, s.Done);
        Assert.Equal(0, s.Pending);
        Assert.Equal((1, 1), (s.Starts, s.Closes));
        Assert.Equal(WorkerState.Stopped, worker.State);
    }

    [Fact]
    public void An_exception_from_the_agent_is_reported_when_it_happens_and_again_by_stop()
    {
        var s = new Shared { Pending = 100, Throw = new InvalidOperationException("boom") };
        Exception? reported = null;
        string? reportedBy = null;
        using var reportedSignal = new ManualResetEventSlim(false);
        using var worker = Worker.Create(Options("faulty"), new GatedAgent(s), (w, e) =>
        {
            reported = e;
            reportedBy = w.Name;
            reportedSignal.Set();
        });
        worker.Start();
        s.Gate.Set();

        Assert.True(reportedSignal.Wait(10_000, TestContext.Current.CancellationToken), "fault callback not called");
        var error = Assert.Throws<WorkerFaultException>(worker.Stop);

        Assert.Same(s.Throw, reported);
        Assert.Equal("faulty", reportedBy);
        Assert.Same(s.Throw, error.InnerException);
        Assert.Same(s.Throw, worker.Fault);
        Assert.Contains("worker 'faulty' stopped", error.Message);
        Assert.Equal(3, s.Done);
        Assert.Equal(1, s.Closes);           // OnClose still runs after a fault
        Assert.Equal(WorkerState.Faulted, worker.State);
    }

    private static int[] TestThreadAffinity()
    {
        Span<int> cpus = stackalloc int[CpuSet.MaxCpus];
        int n = ThreadAffinity.TryGetCurrentThread(cpus);
        Assert.True(n > 0, $"sched_getaffinity failed: errno {-n}");
        return cpus[..n].ToArray();
    }

    [Fact]
    public void A_worker_pinned_to_cpu_0_runs_only_on_cpu_0()
    {
        if (Array.IndexOf(TestThreadAffinity(), 0) < 0) Assert.Skip("CPU 0 is outside this process's CPU set (taskset/cgroup)");
        var s = new Shared();
        s.Gate.Set();
        using var worker = Worker.Create(Options("pinned", cpu: 0), new GatedAgent(s));
        worker.Start();
        worker.Stop();

        Assert.True(worker.Pin.Pinned, worker.Pin.Message);
        Assert.Equal(0, worker.Pin.RequestedCpu);
        Assert.Equal(new[] { 0 }, s.Affinity);          // read back with sched_getaffinity on the worker thread
        Assert.Equal(s.ThreadId, worker.Pin.ThreadId);
        Assert.Contains("pinned to CPU 0", worker.Pin.Message);
        bool isolated = CpuList.Isolated().Contains(0);
        Assert.Equal(isolated, worker.Pin.Warning is null);
        if (!isolated) Assert.Contains("/sys/devices/system/cpu/isolated", worker.Pin.Warning);
    }

    [Fact]
    public void Pinning_to_a_cpu_that_does_not_exist_reports_why_and_the_worker_still_runs()
    {
        int missing = CpuSet.MaxCpus - 1;    // expressible in the mask, absent on any machine this runs on
        Assert.False(CpuList.Online().Contains(missing));
        var s = new Shared { Pending = 10 };
        s.Gate.Set();
        using var worker = Worker.Create(Options("unpinnable", cpu: missing), new GatedAgent(s));
        worker.Start();
        worker.Stop();

        Assert.False(worker.Pin.Pinned);
        Assert.Equal(22, worker.Pin.Errno);
        Assert.Contains("EINVAL", worker.Pin.Message);
        Assert.Contains($"cpu {missing}", worker.Pin.Message);
        Assert.Equal(10, s.Done);
    }

    [Fact]
    public void An_unpinned_worker_says_so_and_keeps_the_process_affinity()
    {
        var s = new Shared();
        s.Gate.Set();
        using var worker = Worker.Create(Options("free"), new GatedAgent(s));
        worker.Start();
        worker.Stop();

        Assert.False(worker.Pin.Pinned);
        Assert.Equal(-1, worker.Pin.RequestedCpu);
        Assert.Contains("not pinned", worker.Pin.Message);
        Assert.Equal(TestThreadAffinity(), s.Affinity);   // inherited from the thread that created it, untouched
    }

    [Fact]
    public void A_worker_starts_only_once()
    {
        var s = new Shared();
        s.Gate.Set();
        using var worker = Worker.Create(Options("once"), new GatedAgent(s));
        worker.Start();

        Assert.Throws<InvalidOperationException>(worker.Start);
        worker.Stop();
        Assert.Equal(1, s.Starts);
    }

    [Theory]
    [InlineData(IdleStrategyKind.BusySpin)]
    [InlineData(IdleStrategyKind.Yield)]
    [InlineData(IdleStrategyKind.BackOff)]
    public void Every_idle_strategy_runs_the_agent_to_completion(IdleStrategyKind kind)
    {
        var s = new Shared { Pending = 1000 };
        s.Gate.Set();
        using var worker = Worker.Create(Options("idle-" + kind) with { Idle = new IdleStrategyOptions { Kind = kind } }, new GatedAgent(s));
        worker.Start();
        var deadline = Environment.TickCount64 + 10_000;
        while (Volatile.Read(ref s.Pending) > 0 && Environment.TickCount64 < deadline) Thread.Sleep(1);
        worker.Stop();

        Assert.Equal(kind, worker.IdleKind);
        Assert.Equal(1000, s.Done);
    }
}
