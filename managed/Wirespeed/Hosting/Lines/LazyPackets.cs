using System;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Hosting.Lines;

/// <summary>The struct face of a <see cref="WorkerOwned{T}"/> source: one null check per poll after the first.</summary>
public readonly struct LazyPackets<T> : IPacketSource where T : class, IPacketSource, IDisposable
{
    private readonly WorkerOwned<T> _owner;

    public LazyPackets(WorkerOwned<T> owner) => _owner = owner;

    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        T? source = _owner.Source ?? _owner.OpenOnWorker();
        return source is null ? 0 : source.Poll(ref handler, limit);
    }
}
