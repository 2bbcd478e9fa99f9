using System;
using System.Collections.Generic;
using System.Net;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Mold.Rerequest;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Feeds.Mold.Arbitration;
using Xunit;
using static Wirespeed.Tests.Feeds.Mold.Arbitration.MoldTape;

namespace Wirespeed.Tests.Feeds.Mold.Rerequest;

/// <summary>
/// Recovery through the re-request client and the simulator's retransmission server, over real UDP on loopback: the
/// same packets lost on both lines, a response filling part of a gap, a request beyond the server's store, a timeout
/// with retries, and a response for a session the line has left. Run under <c>flock /tmp/ws-net.lock</c>.
/// </summary>
public sealed class MoldRecoveryLoopbackTests
{
    private const string S = "LOOP00001";
    private const int PerPacket = 4;

    private sealed class Harness : IDisposable
    {
        public readonly MoldRetransmitServer Server;
        public readonly MoldRerequester Client;
        public readonly Received Got = new();
        public readonly MoldArbiter<RecordingHandler, MoldRerequester.GapSink> Line;

        public Harness(MoldRetransmitOptions server, Func<IPEndPoint, MoldRerequesterOptions> client, long gapWaitNs = 200_000)
        {
            Server = new MoldRetransmitServer(server);
            Server.Start();
            Client = new MoldRerequester(client(Server.EndPoint));
            Client.Start();
            Line = new MoldArbiter<RecordingHandler, MoldRerequester.GapSink>(new RecordingHandler(Got), Client.Gaps,
                new MoldArbiterOptions { GapWaitNs = gapWaitNs, ReorderSlots = 1024 });
        }

        /// <summary>Sends the tape (the server records every packet; the lines lose some) then polls until every
        /// message is in or the time is up.</summary>
        public void Play(List<byte[]> tape, Func<int, bool> lostOnA, Func<int, bool> lostOnB, int expected, long timeoutMs = 10_000)
        {
            for (int i = 0; i < tape.Count; i++)
            {
                Server.Record(tape[i]);
                if (!lostOnA(i)) Line.OnPacket(tape[i], MoldSource.A, MonoClock.NowNs());
                if (!lostOnB(i)) Line.OnPacket(tape[i], MoldSource.B, MonoClock.NowNs());
                Client.PollResponses(Line, 64);
            }
            ulong next = (ulong)expected + 1;
            Line.OnPacket(Heartbeat(S, next), MoldSource.A, MonoClock.NowNs());
            long deadline = MonoClock.NowNs() + timeoutMs * 1_000_000;
            while (Got.Sequences.Count < expected && MonoClock.NowNs() < deadline)
            {
                Client.PollResponses(Line, 64);
                Line.Poll(MonoClock.NowNs());
                System.Threading.Thread.Sleep(0);
            }
        }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }

    private static void AssertEveryMessageOnceInOrder(Received got, int messages)
    {
        Assert.Equal(messages, got.Sequences.Count);
        for (int i = 0; i < messages; i++)
            if (got.Sequences[i] != (ulong)i + 1) Assert.Fail($"message {i} has sequence {got.Sequences[i]}, expected {i + 1}");
        Assert.Equal(0, got.BadPayloads);
    }

    [Fact]
    public void Same_packets_lost_on_both_lines_are_recovered_by_request_over_udp()
    {
        const int packets = 5_000;
        var tape = Packets(S, 1, packets * PerPacket, PerPacket);
        Func<int, bool> lost = i => i % 97 == 3 || (i >= 2_000 && i < 2_300) || i == packets - 1; // singles, a 1,200-message burst, the tail
        using var h = new Harness(new MoldRetransmitOptions { StoreDepth = 100_000, MaxPayload = 200 },
            server => new MoldRerequesterOptions { Server = server, MaxMessagesPerRequest = 500, TimeoutNs = 50_000_000 });
        h.Play(tape, lost, lost, packets * PerPacket);

        AssertEveryMessageOnceInOrder(h.Got, packets * PerPacket);
        var c = h.Line.Counters;
        Assert.True(c.Retransmission.MessagesWon >= 300 * PerPacket);
        Assert.Equal(packets * PerPacket, c.A.MessagesWon + c.B.MessagesWon + c.Retransmission.MessagesWon);
        Assert.True(h.Client.Counters.RequestsSent >= 3, "the burst alone needs several requests of at most 500 messages");
        Assert.True(h.Server.Counters.ResponsePackets > h.Client.Counters.RequestsSent, "200-byte responses: several packets per request");
        Assert.Equal(0, h.Server.Counters.BeyondStore);
    }

    [Fact]
    public void Lost_responses_time_out_and_are_retried_with_back_off_until_filled()
    {
        const int packets = 50;
        var tape = Packets(S, 1, packets * PerPacket, PerPacket);
        Func<int, bool> lost = i => i == 20;
        using var h = new Harness(new MoldRetransmitOptions { ResponseLoss = 0.7, Seed = 3 },
            server => new MoldRerequesterOptions { Server = server, TimeoutNs = 2_000_000, Backoff = 1.5, MaxRetries = 30 });
        h.Play(tape, lost, lost, packets * PerPacket);
        Assert.True(h.Got.Sequences.Count == packets * PerPacket, $"got {h.Got.Sequences.Count}; sent {h.Client.Counters.RequestsSent}, retries {h.Client.Counters.Retries}, gave up {h.Client.Counters.GaveUp}, server requests {h.Server.Counters.Requests}, lost {h.Server.Counters.ResponsesLost}, sent {h.Server.Counters.ResponsePackets}, client responses {h.Client.Counters.Responses}, arbiter requests {h.Line.Counters.Requests}, retrans packets {h.Line.Counters.Retransmission.Packets}");
        AssertEveryMessageOnceInOrder(h.Got, packets * PerPacket);
        long deadline = MonoClock.NowNs() + 2_000_000_000;
        while (h.Client.Counters.Completed == 0 && MonoClock.NowNs() < deadline) System.Threading.Thread.Sleep(1);
        Assert.Equal(1, h.Client.Counters.Completed);
        Assert.Equal(h.Client.Counters.RequestsSent - 1, h.Client.Counters.Retries);
        Assert.Equal(h.Server.Counters.ResponsesLost > 0, h.Client.Counters.Retries > 0); // a lost answer is what makes a retry
        Assert.True(h.Client.Counters.RecoveryNsMax > 0);
    }

    [Fact]
    public void A_request_beyond_the_store_gets_nothing_and_is_given_up_after_its_retries()
    {
        const int packets = 100;
        var tape = Packets(S, 1, packets * PerPacket, PerPacket);
        Func<int, bool> lost = i => i == 2; // sequences 9..12, long gone from a 40-message store by the time it is asked
        using var h = new Harness(new MoldRetransmitOptions { StoreDepth = 40 },
            server => new MoldRerequesterOptions { Server = server, TimeoutNs = 1_000_000, Backoff = 1, MaxRetries = 2 },
            gapWaitNs: 20_000_000); // the whole tape is sent (and the store moves past the gap) before the gap is requested
        h.Play(tape, lost, lost, packets * PerPacket, timeoutMs: 300);
        Assert.Equal(8, h.Got.Sequences.Count); // stuck before the gap
        long deadline = MonoClock.NowNs() + 2_000_000_000;
        while (h.Client.Counters.GaveUp == 0 && MonoClock.NowNs() < deadline) System.Threading.Thread.Sleep(1);
        Assert.Equal(1, h.Client.Counters.GaveUp);
        Assert.Equal(3, h.Server.Counters.BeyondStore); // the first send and two retries
        Assert.Equal(0, h.Server.Counters.ResponsePackets);
        h.Line.ResumeAt(13); // what a snapshot would do: the rest flows from the window
        Assert.Equal(packets * PerPacket - 4, h.Got.Sequences.Count);
    }

    [Fact]
    public void A_response_for_a_session_the_line_has_left_is_dropped_and_requests_of_it_are_void()
    {
        // The server answers 300 ms late so that the next session reliably begins before the answer reaches the client,
        // even when a loaded host holds this thread back for a while (30 ms was not enough under load).
        using var h = new Harness(new MoldRetransmitOptions { LatencyNs = 300_000_000 },
            server => new MoldRerequesterOptions { Server = server, TimeoutNs = 2_000_000_000 });
        var tape = Packets(S, 1, 40, PerPacket);
        for (int i = 0; i < tape.Count; i++) h.Server.Record(tape[i]);
        h.Line.OnPacket(tape[0], MoldSource.A, MonoClock.NowNs());
        h.Line.OnPacket(tape[2], MoldSource.A, MonoClock.NowNs()); // 5..8 missing
        h.Line.OnPacket(EndOfSession(S, 41), MoldSource.A, MonoClock.NowNs());
        // Poll past the gap wait (200 µs) until the request is made: a fixed 1 ms of polling could end before its first
        // poll on a loaded host (the thread held back between reading the clock and entering the loop).
        long deadline = MonoClock.NowNs() + 10_000_000_000;
        do h.Line.Poll(MonoClock.NowNs());
        while (h.Line.Counters.Requests == 0 && MonoClock.NowNs() < deadline);
        Assert.True(h.Line.Counters.Requests >= 1, "no gap request within 10 s");
        while (h.Client.Counters.RequestsSent == 0 && MonoClock.NowNs() < deadline) System.Threading.Thread.Sleep(1);
        Assert.True(h.Client.Counters.RequestsSent >= 1, "the client sent no request within 10 s");
        h.Line.OnPacket(Packet("NEXTSESS", 1, 1), MoldSource.B, MonoClock.NowNs()); // the next session begins before the answer
        while (h.Line.Counters.Retransmission.ForeignSession == 0 && MonoClock.NowNs() < deadline)
        {
            h.Client.PollResponses(h.Line, 64);
            System.Threading.Thread.Sleep(1);
        }
        Assert.True(h.Line.Counters.Retransmission.ForeignSession >= 1);
        Assert.Equal(0, h.Line.Counters.Retransmission.MessagesWon);
        while (h.Client.Counters.StaleSession == 0 && MonoClock.NowNs() < deadline) System.Threading.Thread.Sleep(1);
        Assert.True(h.Client.Counters.StaleSession >= 1);
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 1 }, h.Got.Sequences);
    }

    [Fact]
    public void Options_name_the_field_and_the_fix()
    {
        Assert.Contains("Server", Assert.Throws<ArgumentException>(() => new MoldRerequesterOptions().Validated()).Message);
        var ok = new MoldRerequesterOptions { Server = new IPEndPoint(IPAddress.Loopback, 1) };
        Assert.Contains("MaxMessagesPerRequest", Assert.Throws<ArgumentException>(() => (ok with { MaxMessagesPerRequest = 0xFFFF }).Validated()).Message);
        Assert.Contains("Backoff", Assert.Throws<ArgumentException>(() => (ok with { Backoff = 0.5 }).Validated()).Message);
        Assert.Contains("RequestQueue", Assert.Throws<ArgumentException>(() => (ok with { RequestQueue = 3 }).Validated()).Message);
        Assert.Contains("StoreDepth", Assert.Throws<ArgumentException>(() => new MoldRetransmitOptions { StoreDepth = 0 }.Validated()).Message);
        Assert.Contains("ResponseLoss", Assert.Throws<ArgumentException>(() => new MoldRetransmitOptions { ResponseLoss = 2 }.Validated()).Message);
        Assert.Contains("MaxPayload", Assert.Throws<ArgumentException>(() => new MoldRetransmitOptions { MaxPayload = 30 }.Validated()).Message);
    }
}
