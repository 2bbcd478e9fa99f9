using System;

namespace Wirespeed.Core.Agents;

/// <summary>An agent threw on a worker thread; the worker stopped. The original exception is the inner exception.</summary>
public sealed class WorkerFaultException : Exception
{
    public WorkerFaultException(string worker, Exception inner)
        : base($"worker '{worker}' stopped: its agent threw {inner.GetType().Name}: {inner.Message}", inner)
    {
        Worker = worker;
    }

    /// <summary>Name of the worker.</summary>
    public string Worker { get; }
}
