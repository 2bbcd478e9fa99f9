using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Rings;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// The consumer end of a ring between two workers: copies up to one batch of events out of the ring and frees their
/// slots in one release store (the ring's batch consume).
/// </summary>
public struct RingSource : IBatchSource
{
    private readonly SpscRing<MarketEvent> _ring;

    public RingSource(SpscRing<MarketEvent> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Fill(MarketEvent[] batch)
    {
        var copy = new CopyOut(batch);
        return _ring.Poll(ref copy, batch.Length);
    }

    private struct CopyOut : IRingHandler<MarketEvent>
    {
        private readonly MarketEvent[] _batch;
        private int _count;

        public CopyOut(MarketEvent[] batch)
        {
            _batch = batch;
            _count = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void OnItem(ref MarketEvent item) => _batch[_count++] = item; // Poll's limit is batch.Length: in bounds
    }
}
