using System;
using System.Diagnostics;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

/// <summary>
/// Ten million items through each ring across real threads. Each item carries its sequence and its complement, so a
/// consumer proves it saw exactly 0..N-1, in order, none lost, none duplicated, none torn. The only acceptable
/// outcome is that exact sequence. Both sides idle by yielding (this VM has 2 vCPUs: never two busy spinners).
/// </summary>
[Trait("Category", "Stress")]
public sealed class RingStressTests
{
    private const long Items = 10_000_000;
    private const int Capacity = 1024;
    private const int Batch = 64;
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private struct Item
    {
        public long Seq;
        public long Check;   // ~Seq: a torn or stale slot fails the check
    }

    /// <summary>Checks each item against the next expected sequence; records the first mismatch.</summary>
    private struct SequenceChecker : IRingHandler<Item>
    {
        public long Expected;
        public long FirstBadAt;
        public long FirstBadSeq;

        public void OnItem(ref Item item)
        {
            if ((item.Seq != Expected || item.Check != ~Expected) && FirstBadAt < 0)
            {
                FirstBadAt = Expected;
                FirstBadSeq = item.Seq;
            }
            Expected++;
        }
    }

    private sealed class Run
    {
        public volatile bool Stop;
        public long Produced;
        public Exception? Failure;
    }

    [Fact]
    public void Spsc_ring_delivers_ten_million_items_in_order_without_loss()
    {
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.stress", new ArenaOptions { SizeBytes = 1 << 20, HugePages = false, Lock = false }, registry);
        SpscRing<Item> ring = RingFactory.CreateSpsc<Item>(arena, "ring.stress", Capacity, registry, out _);
        var run = new Run();
        var checker = new SequenceChecker { FirstBadAt = -1 };

        var producer = new Thread(() => Guard(run, () => Produce(run, ring.TryClaim, seq => ref ring[seq], ring.Publish))) { Name = "stress-producer" };
        var consumer = new Thread(() => Guard(run, () =>
        {
            while (checker.Expected < Items && !run.Stop)
                if (ring.Poll(ref checker, 256) == 0) Thread.Yield();
        })) { Name = "stress-consumer" };

        var sw = Stopwatch.StartNew();
        producer.Start();
        consumer.Start();
        JoinOrFail(run, sw, producer, consumer, () => $"consumer at {checker.Expected}");
        Assert.Null(run.Failure);
        Assert.True(checker.FirstBadAt < 0, $"expected sequence {checker.FirstBadAt}, got {checker.FirstBadSeq}");
        Assert.Equal(Items, checker.Expected);
        Assert.Equal(Items, ring.Published);
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Broadcast_ring_delivers_ten_million_items_in_order_to_each_of_two_consumers()
    {
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.stress", new ArenaOptions { SizeBytes = 1 << 20, HugePages = false, Lock = false }, registry);
        SpmcBroadcast<Item> ring = RingFactory.CreateBroadcast<Item>(arena, "ring.stress", Capacity, 2, registry, out _);
        var run = new Run();
        var checkers = new[] { new SequenceChecker { FirstBadAt = -1 }, new SequenceChecker { FirstBadAt = -1 } };

        var producer = new Thread(() => Guard(run, () => Produce(run, ring.TryClaim, seq => ref ring[seq], ring.Publish))) { Name = "stress-producer" };
        var consumers = new Thread[2];
        for (int c = 0; c < 2; c++)
        {
            int index = c;
            consumers[c] = new Thread(() => Guard(run, () =>
            {
                SpmcBroadcast<Item>.Consumer consumer = ring.GetConsumer(index);
                ref SequenceChecker checker = ref checkers[index];
                while (checker.Expected < Items && !run.Stop)
                    if (consumer.Poll(ref checker, 256) == 0) Thread.Yield();
            })) { Name = $"stress-consumer-{c}" };
        }

        var sw = Stopwatch.StartNew();
        producer.Start();
        consumers[0].Start();
        consumers[1].Start();
        JoinOrFail(run, sw, producer, consumers[0], consumers[1],
                   () => $"consumers at {checkers[0].Expected} and {checkers[1].Expected}");
        Assert.Null(run.Failure);
        for (int c = 0; c < 2; c++)
        {
            Assert.True(checkers[c].FirstBadAt < 0, $"consumer {c}: expected sequence {checkers[c].FirstBadAt}, got {checkers[c].FirstBadSeq}");
            Assert.Equal(Items, checkers[c].Expected);
        }
        Assert.Equal(Items, ring.Published);
        Assert.Equal(0, ring.Count);
    }

    private delegate bool ClaimFn(out long sequence);
    private delegate ref Item SlotFn(long sequence);

    private static void Produce(Run run, ClaimFn claim, SlotFn slot, Action publish)
    {
        long next = 0;
        while (next < Items && !run.Stop)
        {
            int claimed = 0;
            while (claimed < Batch && next < Items && claim(out long seq))
            {
                if (seq != next) throw new InvalidOperationException($"claimed {seq}, expected {next}");
                ref Item item = ref slot(seq);
                item.Seq = next;
                item.Check = ~next;
                next++;
                claimed++;
            }
            if (claimed > 0) publish();
            else Thread.Yield();                                // full: back-pressure, give the consumers the CPU
            Volatile.Write(ref run.Produced, next);
        }
    }

    private static void Guard(Run run, Action body)
    {
        try { body(); }
        catch (Exception e)
        {
            run.Failure ??= e;
            run.Stop = true;
        }
    }

    private static void JoinOrFail(Run run, Stopwatch sw, Thread producer, Thread consumer, Func<string> progress)
        => JoinOrFail(run, sw, producer, consumer, null, progress);

    private static void JoinOrFail(Run run, Stopwatch sw, Thread producer, Thread a, Thread? b, Func<string> progress)
    {
        foreach (Thread t in b == null ? new[] { producer, a } : new[] { producer, a, b })
        {
            TimeSpan left = s_limit - sw.Elapsed;
            if (left < TimeSpan.Zero || !t.Join(left))
            {
                run.Stop = true;
                producer.Join(TimeSpan.FromSeconds(5));
                a.Join(TimeSpan.FromSeconds(5));
                b?.Join(TimeSpan.FromSeconds(5));
                Assert.Fail($"stress run did not finish within {s_limit.TotalSeconds:F0} s: producer at " +
                            $"{Volatile.Read(ref run.Produced)} of {Items}, {progress()} (lost wake-up or deadlock?)");
            }
        }
    }
}
