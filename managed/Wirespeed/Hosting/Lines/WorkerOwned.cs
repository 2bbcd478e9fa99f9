using System;
using System.Threading;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Hosting.Lines;

/// <summary>A source opened lazily by the thread that polls it first (the worker), closed by whoever disposes it after.</summary>
public sealed class WorkerOwned<T> : IDisposable where T : class, IPacketSource, IDisposable
{
    private readonly Func<T> _open;
    private readonly ManualResetEventSlim _opened = new(false);
    private string? _failure;
    private T? _source;

    public WorkerOwned(Func<T> open) => _open = open;

    /// <summary>The open source, or null before the first poll (or after a failed open).</summary>
    public T? Source => Volatile.Read(ref _source);

    /// <summary>Worker thread, first poll only: opens the source; a failure is kept for <see cref="WaitOpened"/>.</summary>
    public T? OpenOnWorker()
    {
        if (_opened.IsSet) return _source;
        try { Volatile.Write(ref _source, _open()); }      // release; pairs with Volatile.Read in Source
        catch (Exception e) { _failure = e.Message; }
        _opened.Set();
        return _source;
    }

    /// <summary>Any thread: waits for the first poll; null when the source opened, else why not.</summary>
    public string? WaitOpened(TimeSpan timeout)
        => _opened.Wait(timeout) ? _failure : $"the worker did not poll within {timeout.TotalSeconds:0} s";

    public void Dispose()
    {
        Interlocked.Exchange(ref _source, null)?.Dispose();
        _opened.Dispose();
    }
}
