using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Tests.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Patterns;

/// <summary>
/// Lock step (deterministic replay with pattern threads): the book thread's EndBatch returns only once every pattern
/// worker has taken the batch, so the breaker levels a worker's gate reads are those at the end of the batch.
/// </summary>
public sealed class LockstepPublishTests
{
    private struct Count : IRingHandler<MarketEvent>
    {
        public int Items;
        public void OnItem(ref MarketEvent item) => Items++;
    }

    [Theory]
    [InlineData(PublishOverflowPolicy.Lockstep, true)]
    [InlineData(PublishOverflowPolicy.Wait, false)]
    public unsafe void End_of_batch_waits_for_every_consumer_only_in_lock_step(PublishOverflowPolicy policy, bool waits)
    {
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(64));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 64, 1);
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 1024, MaxLevelsPerSide = 8 });
        var stage = new TopOfBookPublishStage(books, ring, PatternRoutes.Everyone, policy);
        var ctx = new StageContext();
        for (int i = 0; i < 3; i++)
        {
            var trade = new MarketEvent { Kind = EventKind.Trade, Instrument = 1, Price = 10_000, Quantity = 100 };
            stage.Process(ref trade, in ctx);
        }
        var consumer = ring.GetConsumer(0);
        int taken = 0;
        using var released = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            released.Wait(300);                      // the pattern worker is late: until EndBatch returned, or 300 ms
            var h = new Count();
            while (h.Items < 3) consumer.Poll(ref h, 64);
            Volatile.Write(ref taken, h.Items);
        });
        worker.Start();
        stage.EndBatch(in ctx);
        int seenAtReturn = Volatile.Read(ref taken);
        released.Set();
        worker.Join();
        Assert.Equal(waits ? 3 : 0, seenAtReturn);
        Assert.Equal(3, stage.Counters.Trades);
    }
}
