using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Priority;

/// <summary>
/// Source of the worker after the lanes: fills each batch Critical first and looks at Critical again before every
/// event of a lower lane. Aging: a lane that has waited while <see cref="PriorityOptions.AgingBound"/> events of other
/// lanes were served is served next, ahead of Critical, so no lane starves. A batch holds at most
/// <see cref="PriorityOptions.LowerLaneBatchLimit"/> lower-lane events, so a Critical event that arrives meanwhile
/// waits for at most that many. Per lane it counts events served, services forced by aging and the longest wait
/// (events of other lanes served while the lane had events ready); the monitor reads them. Worker thread only.
/// </summary>
public struct LaneScheduler : IBatchSource
{
    private readonly LaneSchedulerState _s;

    public LaneScheduler(LaneQueues queues, PriorityOptions options)
    {
        _s = new LaneSchedulerState(queues, options);
    }

    /// <summary>Counters and the staging buffers.</summary>
    public readonly LaneSchedulerState State => _s;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Fill(MarketEvent[] batch) => _s.Fill(batch);
}

/// <summary>State and counters of a <see cref="LaneScheduler"/>. Counters are written by the worker and readable from any thread.</summary>
public sealed class LaneSchedulerState
{
    private const int StagingSize = 64;

    private readonly SpscRing<MarketEvent>[] _rings;
    private readonly MarketEvent[][] _staging = new MarketEvent[4][];
    private readonly int[] _head = new int[4];
    private readonly int[] _count = new int[4];
    private readonly int[] _bound = new int[4];
    private readonly long[] _waited = new long[4];
    private readonly long[] _maxWaited = new long[4];
    private readonly long[] _served = new long[4];
    private readonly long[] _aged = new long[4];
    private readonly int _lowerLimit;

    internal LaneSchedulerState(LaneQueues queues, PriorityOptions options)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateStructure();
        _rings = queues.Rings;
        for (int i = 0; i < 4; i++)
        {
            _staging[i] = new MarketEvent[StagingSize];
            _bound[i] = options.AgingBound[i];
        }
        _lowerLimit = options.LowerLaneBatchLimit;
    }

    /// <summary>Events served from <paramref name="lane"/>.</summary>
    public long Served(Lane lane) => Volatile.Read(ref _served[(int)lane & 3]);

    /// <summary>Times <paramref name="lane"/> was served ahead of higher lanes because it reached its aging bound.</summary>
    public long AgedServes(Lane lane) => Volatile.Read(ref _aged[(int)lane & 3]);

    /// <summary>Longest wait of <paramref name="lane"/>: events of other lanes served in a row while it had events ready.
    /// With aging on, at most the lane's bound plus the number of other lanes that aged at the same moment (≤ bound + 2).</summary>
    public long MaxWait(Lane lane) => Volatile.Read(ref _maxWaited[(int)lane & 3]);

    /// <summary>The configured aging bound of <paramref name="lane"/>.</summary>
    public int AgingBound(Lane lane) => _bound[(int)lane & 3];

    internal int Fill(MarketEvent[] batch)
    {
        int n = 0, lower = 0;
        while (n < batch.Length)
        {
            int lane = -1;
            for (int l = 1; l < 4; l++) // a lane at its aging bound goes first, even ahead of Critical
            {
                if (_bound[l] > 0 && _waited[l] >= _bound[l] && Ready(l))
                {
                    lane = l;
                    _aged[l]++;
                    break;
                }
            }
            if (lane < 0)
            {
                for (int l = 0; l < 4; l++)
                {
                    if (Ready(l)) { lane = l; break; }
                }
                if (lane < 0) break;
            }
            if (lane > 0)
            {
                if (lower >= _lowerLimit) break; // end the batch: Critical is looked at again at the next Fill
                lower++;
            }
            int h = _head[lane];
            batch[n++] = _staging[lane][h];
            _head[lane] = h + 1;
            _count[lane]--;
            Volatile.Write(ref _served[lane], _served[lane] + 1);
            _waited[lane] = 0;
            for (int l = 1; l < 4; l++)
            {
                if (l == lane || !Ready(l)) continue; // only lanes with events ready are waiting (refills an empty stage)
                long w = ++_waited[l];
                if (w > _maxWaited[l]) Volatile.Write(ref _maxWaited[l], w);
            }
        }
        return n;
    }

    /// <summary>True when <paramref name="lane"/> has an event staged, refilling the stage from its ring when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Ready(int lane)
    {
        if (_count[lane] > 0) return true;
        var copy = new CopyOut(_staging[lane]);
        int got = _rings[lane].Poll(ref copy, StagingSize);
        _head[lane] = 0;
        _count[lane] = got;
        return got > 0;
    }

    private struct CopyOut : IRingHandler<MarketEvent>
    {
        private readonly MarketEvent[] _into;
        private int _n;

        public CopyOut(MarketEvent[] into)
        {
            _into = into;
            _n = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void OnItem(ref MarketEvent item) => _into[_n++] = item; // Poll's limit is the staging size: in bounds
    }
}
