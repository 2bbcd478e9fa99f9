using System;
using System.Collections.Generic;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Sim;
using Xunit;
using static Wirespeed.Tests.Feeds.Mold.Arbitration.MoldTape;

namespace Wirespeed.Tests.Feeds.Mold.Arbitration;

/// <summary>
/// Lossy A and B lines through the arbiter in-process, with a stand-in retransmission server that answers each request
/// from the tape: every message must come out exactly once and in order.
/// </summary>
public sealed class MoldArbiterLossTests
{
    private const string S = "LOSSY0001";
    private const int PerPacket = 5;
    private const long Step = 100;      // ns between packets on the wire
    private const long Wait = 20_000;   // gap wait: B trails A by at most 400 ns, so only a loss on both sides waits

    private sealed record Outcome(Received Got, MoldArbiterCounters Counters, RequestLog Requests);

    private static Outcome Run(int packets, Func<int, bool> lostOnA, Func<int, bool> lostOnB, ulong seed)
    {
        List<byte[]> tape = Packets(S, 1, packets * PerPacket, PerPacket);
        var rng = new SimRandom(seed);
        var events = new List<(long At, MoldSource Side, int Index)>();
        for (int i = 0; i < tape.Count; i++)
        {
            if (!lostOnA(i)) events.Add((i * Step + rng.Next(50), MoldSource.A, i));
            if (!lostOnB(i)) events.Add((i * Step + 30 + rng.Next(400), MoldSource.B, i)); // B trails, and reorders within itself
        }
        events.Sort((x, y) => x.At.CompareTo(y.At));
        var got = new Received();
        var requests = new RequestLog();
        var line = new MoldArbiter<RecordingHandler, LoggingRequester>(new RecordingHandler(got), new LoggingRequester(requests),
            new MoldArbiterOptions { GapWaitNs = Wait, ReorderSlots = 512 });
        int served = 0;
        long now = 0;
        void Serve()
        {
            for (; served < requests.Requests.Count; served++)
            {
                (ulong first, ulong count) = requests.Requests[served];
                foreach (byte[] p in Packets(S, first, (int)count, PerPacket)) line.OnPacket(p, MoldSource.Retransmission, now);
            }
        }
        foreach (var e in events)
        {
            now = e.At;
            line.OnPacket(tape[e.Index], e.Side, now);
            Serve();
        }
        ulong end = (ulong)(tape.Count * PerPacket) + 1;
        line.OnPacket(Heartbeat(S, end), MoldSource.A, now);   // announces the tail if the last packets were lost
        for (int i = 0; i < 3; i++)
        {
            now += Wait;
            line.Poll(now);
            Serve();
        }
        return new Outcome(got, line.Counters, requests);
    }

    private static void AssertEveryMessageOnceInOrder(Outcome o, int messages)
    {
        Assert.Equal(messages, o.Got.Sequences.Count);
        for (int i = 0; i < messages; i++)
            if (o.Got.Sequences[i] != (ulong)i + 1) Assert.Fail($"message {i} has sequence {o.Got.Sequences[i]}, expected {i + 1}");
        Assert.Equal(0, o.Got.BadPayloads);
        Assert.Equal(messages, o.Counters.Delivered);
        long won = o.Counters.A.MessagesWon + o.Counters.B.MessagesWon + o.Counters.Retransmission.MessagesWon;
        Assert.Equal(messages, won);
    }

    [Fact]
    public void Independent_random_loss_on_each_side_loses_nothing()
    {
        const int packets = 20_000;
        var lossA = new SimRandom(11);
        var lossB = new SimRandom(12);
        bool[] a = new bool[packets], b = new bool[packets];
        for (int i = 0; i < packets; i++) { a[i] = lossA.NextDouble() < 0.01; b[i] = lossB.NextDouble() < 0.01; }
        int both = 0;
        for (int i = 0; i < packets; i++) if (a[i] && b[i]) both++;

        var o = Run(packets, i => a[i], i => b[i], seed: 7);

        AssertEveryMessageOnceInOrder(o, packets * PerPacket);
        Assert.True(o.Counters.A.Misses > 0 && o.Counters.B.Misses > 0);
        Assert.True(o.Counters.B.Wins > 0, "B must cover A's losses");
        Assert.True(o.Counters.A.TrailSamples + o.Counters.B.TrailSamples > packets / 2);
        Assert.True(o.Counters.B.MeanTrailNs > 0);
        // Only packets lost on both sides may be requested.
        Assert.True(o.Counters.MessagesRequested <= both * PerPacket, $"requested {o.Counters.MessagesRequested} messages for {both} packets lost on both sides");
    }

    [Fact]
    public void A_burst_of_ten_thousand_messages_lost_on_one_side_is_covered_by_the_other_without_a_request()
    {
        const int packets = 6_000;
        var o = Run(packets, i => i >= 2_000 && i < 4_000, _ => false, seed: 9);
        AssertEveryMessageOnceInOrder(o, packets * PerPacket);
        Assert.Equal(10_000, o.Counters.A.Misses);
        Assert.True(o.Counters.B.MessagesWon >= 10_000);
        Assert.Empty(o.Requests.Requests);
    }

    [Fact]
    public void The_same_packets_lost_on_both_sides_are_recovered_by_request()
    {
        const int packets = 3_000;
        Func<int, bool> lost = i => i % 500 == 7 || (i >= 1_000 && i < 1_010) || i == packets - 1;
        var o = Run(packets, lost, lost, seed: 5);
        AssertEveryMessageOnceInOrder(o, packets * PerPacket);
        Assert.Equal((6 + 10 - 1 + 1) * PerPacket, o.Counters.Retransmission.MessagesWon); // 1007 is in both sets
    }

    [Fact]
    public void Arbitration_allocates_nothing_per_packet()
    {
        List<byte[]> tape = Packets(S, 1, 4_000 * PerPacket, PerPacket);
        var line = new MoldArbiter<CountingHandler, NoGapRequester>(default, default, new MoldArbiterOptions { ReorderSlots = 8, InitialSequence = 1 });
        void Feed(int from, int to)
        {
            for (int i = from; i < to; i += 2)
            {
                // A: i+1 before i (held, then released); B: the late copies.
                line.OnPacket(tape[i + 1], MoldSource.A, i);
                line.OnPacket(tape[i], MoldSource.A, i + 1);
                line.OnPacket(tape[i], MoldSource.B, i + 2);
                line.OnPacket(tape[i + 1], MoldSource.B, i + 3);
                line.Poll(i + 4);
            }
        }
        Feed(0, 200); // warm-up: JIT, tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        Feed(200, tape.Count);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(tape.Count * PerPacket, line.Handler.Messages);
        Assert.Equal(tape.Count / 2, line.Counters.A.Held);
    }
}
