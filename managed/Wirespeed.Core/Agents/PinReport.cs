
namespace Wirespeed.Core.Agents;

/// <summary>Outcome of pinning a worker thread to a CPU, for the start-up log and the JSON summary.</summary>
/// <param name="RequestedCpu">CPU asked for; -1 when the worker is not pinned.</param>
/// <param name="Pinned">True when sched_setaffinity succeeded.</param>
/// <param name="Errno">errno of the failure, 0 on success or when not requested.</param>
/// <param name="ThreadId">Kernel thread id of the worker (for taskset, top -H, perf); 0 if unknown.</param>
/// <param name="Message">One line saying what happened and, on failure, why.</param>
/// <param name="Warning">Set when pinned to a CPU the kernel does not isolate: other tasks will share it.</param>
public sealed record PinReport(int RequestedCpu, bool Pinned, int Errno, int ThreadId, string Message, string? Warning)
{
    /// <summary>Nothing was requested.</summary>
    public static PinReport NotRequested(int threadId)
        => new(-1, false, 0, threadId, "not pinned (cpu = -1): the scheduler may move this thread", null);

    /// <summary>Before the worker thread has started.</summary>
    public static readonly PinReport NotStarted = new(-1, false, 0, 0, "worker not started", null);

    public override string ToString() => Warning is null ? Message : Message + "; warning: " + Warning;
}
