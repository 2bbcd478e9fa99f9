using System.Threading;
using HdrHistogram;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

public class StageMetricsBatchTests
{
    [Fact]
    public void Batch_recording_counts_overruns_and_clamps_like_single_values()
    {
        var m = new StageMetrics("e2e", budgetNs: 100);
        m.BeginBatch();
        m.RecordInBatch(50);
        m.RecordInBatch(150);
        m.RecordInBatch(0);
        m.RecordInBatch(StageMetrics.HighestTrackableNs + 1);
        m.EndBatch();
        var h = m.SampleInterval();
        Assert.Equal(4, h.TotalCount);
        Assert.Equal(4, m.Count);
        Assert.Equal(2, m.Overruns);
        Assert.Equal(1, m.Clamped);
        Assert.Equal(1, h.GetValueAtPercentile(0));
    }

    [Fact]
    public void Sampling_while_a_writer_records_batches_loses_and_duplicates_nothing()
    {
        var m = new StageMetrics("e2e", 0);
        const int Batches = 200_000, PerBatch = 16;
        var writer = new Thread(() =>
        {
            for (int b = 0; b < Batches; b++)
            {
                m.BeginBatch();
                for (int i = 0; i < PerBatch; i++) m.RecordInBatch(1 + (b & 1023));
                m.EndBatch();
                if ((b & 63) == 0) m.Record(7);
            }
        });
        writer.Start();
        long total = 0;
        HistogramBase? recycle = null;
        while (writer.IsAlive)
        {
            var interval = m.SampleInterval(recycle);
            total += interval.TotalCount;
            recycle = interval;
            Thread.Yield();
        }
        writer.Join();
        total += m.SampleInterval(recycle).TotalCount;
        long expected = (long)Batches * PerBatch + (Batches + 63) / 64;
        Assert.Equal(expected, total);
        Assert.Equal(expected, m.Count);
    }
}
