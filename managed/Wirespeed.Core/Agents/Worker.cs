using System;
using System.Threading;
using Wirespeed.Core.Time;
using Wirespeed.Interop;

namespace Wirespeed.Core.Agents;

/// <summary>
/// A dedicated thread, optionally pinned to one CPU, that runs an agent's <see cref="IAgent.DoWork"/> in a loop and
/// calls its idle strategy when a cycle found no work. Create with <see cref="Create{TAgent}(WorkerOptions, TAgent, Action{Worker, Exception}?)"/>,
/// which picks the specialised loop for the configured idle strategy.
/// </summary>
/// <remarks>
/// Life: <see cref="Start"/> returns once the thread is pinned (see <see cref="Pin"/>) and the agent's OnStart ran.
/// <see cref="Stop"/> asks the loop to end, lets it drain (keeps calling DoWork until a cycle finds nothing, bounded by
/// <see cref="WorkerOptions.DrainTimeoutMs"/>), runs OnClose, and joins. An exception from the agent ends the loop; it
/// is kept in <see cref="Fault"/>, passed to the fault callback (or written to stderr when there is none) at the moment
/// it happens, and thrown again by <see cref="Stop"/> as a <see cref="WorkerFaultException"/>: never swallowed.
/// </remarks>
public abstract class Worker : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new(false);
    private readonly Action<Worker, Exception>? _onFault;
    private readonly long _drainTimeoutNs;
    private int _stopRequested;
    private int _state;              // WorkerState
    private Exception? _fault;
    private PinReport _pin = PinReport.NotStarted;
    // Progress, written by the worker thread only (plain stores), read by the supervisor (WorkerSupervisor) a few times
    // a second: a duty cycle that never ends (stuck in DoWork) stops _cycles; one that finds work and never does it
    // stops _workDone while the worker's input has items.
    private protected long _cycles;
    private protected long _workDone;

    private protected Worker(WorkerOptions options, Action<Worker, Exception>? onFault)
    {
        Name = options.Name;
        Cpu = options.Cpu;
        IdleKind = options.Idle.Kind;
        _drainTimeoutNs = options.DrainTimeoutMs * 1_000_000L;
        _onFault = onFault;
        // Background: a host that forgets Stop must still be able to exit; Stop is the orderly way out.
        _thread = new Thread(ThreadMain) { Name = options.Name, IsBackground = true };
    }

    /// <summary>Worker name (also the thread name shown by debuggers).</summary>
    public string Name { get; }

    /// <summary>CPU requested in configuration; -1 = not pinned.</summary>
    public int Cpu { get; }

    /// <summary>The idle strategy of the loop.</summary>
    public IdleStrategyKind IdleKind { get; }

    /// <summary>What pinning did. Valid once <see cref="Start"/> has returned.</summary>
    public PinReport Pin => Volatile.Read(ref _pin);

    /// <summary>The first exception thrown by the agent, or null.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Where the worker is in its life.</summary>
    public WorkerState State => (WorkerState)Volatile.Read(ref _state);

    /// <summary>Duty cycles run so far (DoWork calls, with or without work): stops only when a cycle never ends. Any thread.</summary>
    public long Cycles => Volatile.Read(ref _cycles);   // plain store on the worker thread; a 64-bit read is not torn

    /// <summary>Work done so far (the sum of what DoWork returned: events, packets). Any thread.</summary>
    public long WorkDone => Volatile.Read(ref _workDone);

    /// <summary>True once a stop was requested (the loop is draining or done).</summary>
    public bool IsStopRequested => Volatile.Read(ref _stopRequested) != 0;

    /// <summary>Builds a worker running <paramref name="agent"/> with the idle strategy of <paramref name="options"/>.</summary>
    /// <param name="options">Name, CPU, idle strategy and drain timeout (the worker part of the options is validated here).</param>
    /// <param name="agent">The work; copied into the worker, which owns it from then on.</param>
    /// <param name="onFault">Called on the worker thread when the agent throws; null writes the fault to stderr.</param>
    public static Worker Create<TAgent>(WorkerOptions options, TAgent agent, Action<Worker, Exception>? onFault = null)
        where TAgent : struct, IAgent
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new System.Collections.Generic.List<string>();
        options.Validate("worker", errors);
        if (errors.Count > 0) throw new WorkerConfigException(errors);
        // Generic arguments are fixed at compile time: one specialised loop per strategy, chosen here once.
        return options.Idle.Kind switch
        {
            IdleStrategyKind.BusySpin => new Worker<TAgent, BusySpinIdleStrategy>(options, agent, default, onFault),
            IdleStrategyKind.Yield => new Worker<TAgent, YieldIdleStrategy>(options, agent, default, onFault),
            _ => new Worker<TAgent, BackOffIdleStrategy>(options, agent, options.Idle.CreateBackOff(), onFault),
        };
    }

    /// <summary>Starts the thread; returns once it is pinned and the agent's OnStart ran. Once only.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, (int)WorkerState.Running, (int)WorkerState.Created) != (int)WorkerState.Created)
            ThrowHelper.InvalidOperation($"worker '{Name}' was already started");
        _thread.Start();
        _started.Wait();
    }

    /// <summary>Asks the loop to drain and end; does not wait. Any thread.</summary>
    public void RequestStop() => Volatile.Write(ref _stopRequested, 1); // release; pairs with the read in the loop

    /// <summary>
    /// Requests a stop, waits for the drain and OnClose, and throws <see cref="WorkerFaultException"/> if the agent
    /// faulted. Safe to call more than once and on a worker never started.
    /// </summary>
    public void Stop()
    {
        RequestStop();
        if (ThreadStarted) _thread.Join();
        else Volatile.Write(ref _state, (int)WorkerState.Stopped);
        Exception? fault = Fault;
        if (fault != null) throw new WorkerFaultException(Name, fault);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the thread to end (after a stop request or a fault); true when it has (or never started).</summary>
    public bool WaitEnded(TimeSpan timeout) => !ThreadStarted || _thread.Join(timeout);

    /// <summary>Stops without throwing (a fault stays readable in <see cref="Fault"/>).</summary>
    public void Dispose()
    {
        RequestStop();
        if (ThreadStarted && Thread.CurrentThread != _thread) _thread.Join();
        _started.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Whether Start started the thread. Not the state: Stop on a worker never started sets it to Stopped, and a second
    /// Stop, WaitEnded or Dispose must then not join a thread that never ran (Join throws ThreadStateException).
    /// </summary>
    private bool ThreadStarted => (_thread.ThreadState & ThreadState.Unstarted) == 0;

    /// <summary>True while the loop should keep going; one volatile read per cycle.</summary>
    private protected bool Running => Volatile.Read(ref _stopRequested) == 0; // acquire; pairs with RequestStop

    /// <summary>Monotonic deadline of the drain that starts now.</summary>
    private protected long DrainDeadlineNs() => MonoClock.NowNs() + _drainTimeoutNs;

    private protected abstract void AgentStart();
    private protected abstract void RunLoop();
    private protected abstract void AgentClose();

    private void ThreadMain()
    {
        bool startedOk = false;
        try
        {
            Volatile.Write(ref _pin, PinCurrentThread(Cpu));
            AgentStart();
            startedOk = true;
        }
        catch (Exception e)
        {
            ReportFault(e);
        }
        finally
        {
            _started.Set();
        }

        try
        {
            if (startedOk) RunLoop();
        }
        catch (Exception e)
        {
            ReportFault(e);
        }
        finally
        {
            try
            {
                AgentClose();
            }
            catch (Exception e)
            {
                ReportFault(e);
            }
            Volatile.Write(ref _state, (int)(Fault is null ? WorkerState.Stopped : WorkerState.Faulted));
        }
    }

    private void ReportFault(Exception e)
    {
        RequestStop();
        if (Interlocked.CompareExchange(ref _fault, e, null) != null) return;   // keep the first; later ones follow from it
        try
        {
            if (_onFault != null) _onFault(this, e);
            else Console.Error.WriteLine($"wirespeed: worker '{Name}' faulted: {e}");
        }
        catch (Exception callbackError)
        {
            Console.Error.WriteLine($"wirespeed: worker '{Name}' faulted ({e.Message}) and its fault callback threw: {callbackError}");
        }
    }

    /// <summary>Cold path, on the worker thread: pins it and says what happened.</summary>
    internal static PinReport PinCurrentThread(int cpu)
    {
        int tid;
        try
        {
            tid = ThreadAffinity.CurrentThreadId();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return new PinReport(cpu, false, 0, 0, $"not pinned: libc affinity calls unavailable ({e.Message})", null);
        }
        if (cpu < 0) return PinReport.NotRequested(tid);

        int errno = ThreadAffinity.TryPinCurrentThread(cpu);
        if (errno != 0)
            return new PinReport(cpu, false, errno, tid, $"not pinned: sched_setaffinity(cpu {cpu}) failed with {DescribeErrno(errno)}", null);

        CpuList isolated = CpuList.Isolated();
        string? warning = isolated.Contains(cpu) ? null
            : $"CPU {cpu} is not in /sys/devices/system/cpu/isolated ({(isolated.Count == 0 ? "none isolated" : isolated.ToString())}): " +
              "the kernel schedules other tasks on it too; boot with isolcpus=/nohz_full= for steady latency";
        return new PinReport(cpu, true, 0, tid, $"pinned to CPU {cpu} (tid {tid})", warning);
    }

    private static string DescribeErrno(int errno) => errno switch
    {
        22 => "EINVAL (22): the CPU is offline, does not exist, or is outside this process's cpuset (taskset, cgroup cpuset.cpus)",
        1 => "EPERM (1): not permitted (needs CAP_SYS_NICE for another user's thread)",
        3 => "ESRCH (3): thread not found",
        14 => "EFAULT (14): bad mask address",
        _ => $"errno {errno}",
    };
}

/// <summary>Life of a <see cref="Worker"/>.</summary>
public enum WorkerState
{
    Created = 0,
    Running = 1,
    Stopped = 2,
    /// <summary>Ended because the agent threw; see <see cref="Worker.Fault"/>.</summary>
    Faulted = 3,
}

/// <summary>The specialised loop: agent and idle strategy are structs, so both calls are direct.</summary>
internal sealed class Worker<TAgent, TIdle> : Worker
    where TAgent : struct, IAgent
    where TIdle : struct, IIdleStrategy
{
    private TAgent _agent;   // mutable structs: never readonly
    private TIdle _idle;

    public Worker(WorkerOptions options, TAgent agent, TIdle idle, Action<Worker, Exception>? onFault)
        : base(options, onFault)
    {
        _agent = agent;
        _idle = idle;
    }

    private protected override void AgentStart() => _agent.OnStart();

    private protected override void RunLoop()
    {
        while (Running)
        {
            int work = _agent.DoWork();
            _cycles++;
            _workDone += work;
            _idle.Idle(work);
        }
        // Graceful drain: what is already available is processed before the thread ends.
        long deadline = DrainDeadlineNs();
        while (_agent.DoWork() > 0 && MonoClock.NowNs() < deadline) { }
    }

    private protected override void AgentClose() => _agent.OnClose();
}
