using System;
using System.Threading;

namespace Wirespeed.Core.Agents;

/// <summary>What a test makes a worker do (<see cref="FaultInjection"/>).</summary>
public enum InjectedFault : byte
{
    None = 0,
    /// <summary>The agent throws from a duty cycle.</summary>
    Throw = 1,
    /// <summary>The agent blocks inside a duty cycle until <see cref="FaultInjection.Release"/>.</summary>
    Stall = 2,
}

/// <summary>
/// Test hook: makes one worker throw or stall after it has done some work, so that tests (and the CLI test of the fail
/// policy, through WIRESPEED_TEST_INJECT) can check the supervisor. Nothing in the data can set it: a host wraps an
/// agent in <see cref="InjectedFaultAgent{TAgent}"/> only when a hook was configured for that worker, so the loops of
/// every other run are the plain ones.
/// </summary>
public sealed class FaultInjection : IDisposable
{
    private readonly ManualResetEventSlim _release = new(false);
    private int _fired;

    /// <param name="fault">Throw or stall.</param>
    /// <param name="afterWork">Work (events) the agent does before the fault; 0 faults at the first duty cycle.</param>
    public FaultInjection(InjectedFault fault, long afterWork)
    {
        Fault = fault;
        AfterWork = afterWork;
    }

    public InjectedFault Fault { get; }
    public long AfterWork { get; }

    /// <summary>True once the fault fired (only the first agent that reaches it faults: a restarted worker runs on).</summary>
    public bool Fired => Volatile.Read(ref _fired) != 0;

    /// <summary>Ends a stall (the blocked duty cycle returns).</summary>
    public void Release() => _release.Set();

    /// <summary>Worker thread: faults once <paramref name="workDone"/> reached <see cref="AfterWork"/>, the first time only.</summary>
    internal void MaybeFire(long workDone)
    {
        if (workDone < AfterWork || Interlocked.Exchange(ref _fired, 1) != 0) return;
        if (Fault == InjectedFault.Throw) throw new InvalidOperationException("injected fault (test hook)");
        if (Fault == InjectedFault.Stall) _release.Wait();
    }

    /// <summary>
    /// Parses "NAME:throw[@N]" or "NAME:stall[@N]" (the WIRESPEED_TEST_INJECT variable): the worker named and its fault;
    /// null for null or empty; throws <see cref="ArgumentException"/> on anything else.
    /// </summary>
    public static (string Worker, FaultInjection Injection)? Parse(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return null;
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new ArgumentException($"'{spec}' must be NAME:throw[@N] or NAME:stall[@N]", nameof(spec));
        string what = spec[(colon + 1)..];
        long after = 0;
        int at = what.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!long.TryParse(what[(at + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after))
                throw new ArgumentException($"'{spec}': the count after @ must be a whole number", nameof(spec));
            what = what[..at];
        }
        InjectedFault fault = what switch
        {
            "throw" => InjectedFault.Throw,
            "stall" => InjectedFault.Stall,
            _ => throw new ArgumentException($"'{spec}': the fault must be throw or stall", nameof(spec)),
        };
        return (spec[..colon], new FaultInjection(fault, after));
    }

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }
}

/// <summary>An agent with a <see cref="FaultInjection"/> in front of its duty cycle (tests only).</summary>
public struct InjectedFaultAgent<TAgent> : IAgent where TAgent : struct, IAgent
{
    private TAgent _agent;   // mutable struct: never readonly
    private readonly FaultInjection _injection;
    private long _work;

    public InjectedFaultAgent(TAgent agent, FaultInjection injection)
    {
        _agent = agent;
        _injection = injection;
        _work = 0;
    }

    public void OnStart() => _agent.OnStart();

    public int DoWork()
    {
        if (!_injection.Fired) _injection.MaybeFire(_work);
        int n = _agent.DoWork();
        _work += n;
        return n;
    }

    public void OnClose() => _agent.OnClose();
}
