using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Sim;
using Xunit;
using static Wirespeed.Tests.Feeds.Mold.Arbitration.MoldTape;

namespace Wirespeed.Tests.Feeds.Mold.Arbitration;

/// <summary>
/// The arbitrated line as a packet source (in process, no sockets): two lossy copies in, MoldUDP64 packets out that
/// carry each message once and in order; the output respects the poll's limit even when the window releases many
/// packets at once; another session passes through untouched; a one-sided line is its source as it is.
/// </summary>
public sealed class ArbitratedLineTests
{
    private const string S = "ARBLINE001";

    /// <summary>Packets queued by the test, delivered a few per poll.</summary>
    private sealed class Queue
    {
        public readonly List<byte[]> Packets = new();
        public int Next;
    }

    private struct QueueSource : IPacketSource
    {
        private readonly Queue _q;
        public QueueSource(Queue q) => _q = q;
        public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        {
            int n = 0;
            while (n < limit && _q.Next < _q.Packets.Count)
            {
                handler.OnPacket(_q.Packets[_q.Next++], new PacketInfo(1_000 + _q.Next, 9, PacketSourceKind.InProcess));
                n++;
            }
            return n;
        }
    }

    /// <summary>Unpacks every packet handed out: messages with their sequence, packets, the largest count per poll.</summary>
    private sealed class Output
    {
        public readonly List<ulong> Sequences = new();
        public readonly List<byte[]> Raw = new();
        public long BadPayloads, BadLineId;
    }

    private struct Collect : IPacketHandler
    {
        private readonly Output _o;
        public Collect(Output o) => _o = o;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            _o.Raw.Add(payload.ToArray());
            if (info.LineId != 7) _o.BadLineId++;
            var r = new MoldPacketReader(payload);
            if (!r.Session.SequenceEqual("ARBLINE001"u8)) return;
            ulong s = r.Sequence;
            while (r.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok)
            {
                if (BinaryPrimitives.ReadUInt64BigEndian(m) != s) _o.BadPayloads++;
                _o.Sequences.Add(s++);
            }
        }
    }

    private static (ArbitratedPackets<QueueSource> Source, ArbitratedLine Line, Queue A, Queue B) Make(int slots = 64, string session = S)
    {
        var a = new Queue();
        var b = new Queue();
        var line = new ArbitratedLine(new MoldArbiterOptions { ReorderSlots = slots, GapWaitNs = long.MaxValue / 4, InitialSequence = 1 }, hasB: true, rerequester: null, session, lineId: 7);
        return (new ArbitratedPackets<QueueSource>(new QueueSource(a), new QueueSource(b), line), line, a, b);
    }

    private static void Drain(ref ArbitratedPackets<QueueSource> source, Output o, int limit, List<int>? perPoll = null)
    {
        var c = new Collect(o);
        for (int guard = 0; guard < 1_000_000; guard++)
        {
            int before = o.Raw.Count;
            int got = source.Poll(ref c, limit);
            perPoll?.Add(o.Raw.Count - before);
            if (got == 0) return;
        }
        Assert.Fail("the source never ran dry");
    }

    [Fact]
    public void Independent_loss_on_each_side_is_covered_by_the_other_and_each_message_comes_out_once_in_order()
    {
        var (source, line, a, b) = Make();
        var tape = Packets(S, 1, 20_000, 10);
        var random = new Random(5);
        for (int i = 0; i < tape.Count; i++)
        {
            bool lostA = random.NextDouble() < 0.1, lostB = !lostA && random.NextDouble() < 0.1; // never both
            if (!lostA) a.Packets.Add(tape[i]);
            if (!lostB) b.Packets.Add(tape[i]);
        }
        var o = new Output();
        Drain(ref source, o, 4);

        Assert.Equal(20_000, o.Sequences.Count);
        for (int i = 0; i < o.Sequences.Count; i++)
            if (o.Sequences[i] != (ulong)i + 1) Assert.Fail($"message {i} has sequence {o.Sequences[i]}");
        Assert.Equal(0, o.BadPayloads);
        Assert.Equal(0, o.BadLineId);
        var c = line.Counters;
        Assert.Equal(20_000, c.A.MessagesWon + c.B.MessagesWon);
        Assert.True(c.A.Misses > 0 && c.B.Misses > 0);
        Assert.True(c.A.Duplicates + c.B.Duplicates > 0, "the losing copies are dropped");
        Assert.Equal(0UL, line.Outstanding);
        Assert.Equal(0, line.ReframeOverflow);
    }

    [Fact]
    public void A_window_release_is_handed_out_no_more_than_the_polls_limit_at_a_time()
    {
        var (source, line, a, b) = Make(slots: 256);
        var tape = Packets(S, 1, 2_000, 10);  // 200 packets
        for (int i = 1; i < tape.Count; i++) a.Packets.Add(tape[i]); // the first lost: 199 held
        var o = new Output();
        var perPoll = new List<int>();
        Drain(ref source, o, 3, perPoll);
        Assert.Empty(o.Sequences);
        Assert.Equal(199, line.Counters.A.Held);
        b.Packets.Add(tape[0]); // the gap filled: everything released
        perPoll.Clear();
        Drain(ref source, o, 3, perPoll);
        Assert.Equal(2_000, o.Sequences.Count);
        Assert.All(perPoll, n => Assert.InRange(n, 0, 3));
        Assert.True(perPoll.FindAll(n => n > 0).Count > 1, "the release took several polls");
        for (int i = 0; i < o.Sequences.Count; i++) Assert.Equal((ulong)i + 1, o.Sequences[i]);
    }

    [Fact]
    public void Packets_of_another_session_pass_through_untouched_and_are_counted()
    {
        var (source, line, a, _) = Make();
        var foreign = Packet("OTHERSESS1", 1, 3);
        a.Packets.Add(foreign);
        a.Packets.Add(Packet(S, 1, 2));
        var o = new Output();
        Drain(ref source, o, 8);
        Assert.Equal(foreign, o.Raw[0]);          // the decoder counts and warns about it, as on a one-sided line
        Assert.Equal([1UL, 2UL], o.Sequences);
        Assert.Equal(1, line.Counters.A.ForeignSession);
        Assert.Equal(2, line.Counters.A.MessagesWon);
    }

    [Fact]
    public void Reframed_packets_are_whole_moldudp64_packets_no_larger_than_the_datagram_limit()
    {
        var a = new Queue();
        var line = new ArbitratedLine(new MoldArbiterOptions { MaxPacketBytes = 200, GapWaitNs = long.MaxValue / 4, InitialSequence = 1 }, hasB: false, rerequester: null, "", lineId: 7);
        var source = new ArbitratedPackets<QueueSource>(new QueueSource(a), default, line);
        var tape = Packets(S, 1, 500, 15);   // 15 × (2 + 8) + 20 = 170 bytes each
        for (int i = 1; i < tape.Count; i++) a.Packets.Add(tape[i]);
        a.Packets.Add(tape[0]);              // arrives last: the window releases all, re-packed into 200-byte packets
        var o = new Output();
        Drain(ref source, o, 64);
        Assert.Equal(500, o.Sequences.Count);
        Assert.All(o.Raw, p => Assert.InRange(p.Length, MoldPacketReader.HeaderSize, 200));
        Assert.All(o.Raw, p => Assert.Equal(MoldPacketReader.HeaderSize + 10 * BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(MoldPacketReader.CountOffset)), p.Length));
    }

    [Fact]
    public void A_one_sided_line_is_its_source_as_it_is()
    {
        var a = new Queue();
        var source = new ArbitratedPackets<QueueSource>(new QueueSource(a));
        Assert.Null(source.Line);
        var p = Packet(S, 5, 2); // a gap before it: nothing here sequences
        a.Packets.Add(p);
        var o = new Output();
        var c = new Collect(o);
        Assert.Equal(1, source.Poll(ref c, 4));
        Assert.Equal(p, o.Raw[0]);
    }

    [Fact]
    public void Steady_state_polling_allocates_nothing()
    {
        var (source, _, a, b) = Make();
        var tape = Packets(S, 1, 40_000, 10);
        for (int i = 0; i < tape.Count; i++)
        {
            if (i % 7 != 3) a.Packets.Add(tape[i]);
            if (i % 7 != 5) b.Packets.Add(tape[i]);
        }
        var counting = new CountingOut();
        for (int i = 0; i < 100; i++) source.Poll(ref counting, 4); // warm the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        while (source.Poll(ref counting, 4) != 0) { }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(40_000, counting.Messages);
    }

    [Fact]
    public void What_cannot_be_reframed_is_counted_never_thrown_and_a_bad_session_is_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new ArbitratedLine(new MoldArbiterOptions(), hasB: false, rerequester: null, "SHORT"));
        var a = new Queue();
        var line = new ArbitratedLine(new MoldArbiterOptions { MaxPacketBytes = 64, InitialSequence = 1 }, hasB: false, rerequester: null, S, lineId: 7);
        var source = new ArbitratedPackets<QueueSource>(new QueueSource(a), default, line);
        var big = new MoldPacketWriter(S, 1);
        big.TryAppend(new byte[60]);                       // 20 + 2 + 60 > 64: no re-framed packet can hold it
        a.Packets.Add(big.Flush().ToArray());
        var foreign = new MoldPacketWriter("OTHERSESS1", 1);
        foreign.TryAppend(new byte[60]);                   // a foreign packet larger than a slot: not passed through
        a.Packets.Add(foreign.Flush().ToArray());
        var o = new Output();
        Drain(ref source, o, 8);
        Assert.Empty(o.Raw);
        Assert.Equal(2, line.ReframeOverflow);
        Assert.Equal(1, line.Counters.A.ForeignSession);
    }

    private struct CountingOut : IPacketHandler
    {
        public long Messages;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
            => Messages += BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(MoldPacketReader.CountOffset));
    }
}
