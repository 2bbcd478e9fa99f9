using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>
/// The product's faces of Aeron over loopback: normalised 64-byte events packed many to a message and read back in
/// order, signals one to a message through the signal sink, a feed line's packets as Aeron messages
/// (<see cref="AeronPacketSource"/>), and the counted drop when a batch cannot go. Ports 26871..26874 belong to this file.
/// </summary>
public class AeronRecordTests
{
    private const int Term = 64 * 1024;

    private static Arena NewArena() => AeronTestLogs.NewArena(2 * AeronTermLog.ArenaBytes(Term) + 8192);

    private static (AeronSubscription, AeronPublication) Open(string channel, Arena arena, int stream)
    {
        var sub = new AeronSubscription(AeronSubscriptionOptions.FromChannel(channel, stream) with { MaxImages = 1 }, arena);
        var pub = new AeronPublication(AeronPublicationOptions.FromChannel(channel, stream), arena);
        return (sub, pub);
    }

    private static void Connect(AeronPublication pub, Action poll)
    {
        long deadline = MonoClock.NowNs() + 5_000_000_000;
        while (!pub.IsConnected && MonoClock.NowNs() < deadline)
        {
            pub.DoWork();
            poll();
            Thread.Sleep(1);
        }
        Assert.True(pub.IsConnected, "no status message within 5 s");
    }

    private static MarketEvent Event(long i) => new()
    {
        ExchangeTimestampNs = 1_700_000_000_000_000_000 + i, ReceiveTimestampNs = i * 3, OrderId = (ulong)i * 7, Aux = (ulong)i,
        Price = 1_000_000 + i, Sequence = (ulong)i + 1, Quantity = 100 + i % 50, Instrument = (int)(i % 97), LineId = 2,
        Kind = (EventKind)(i % 5), Side = (Side)(i % 2), PackedLaneAndFlags = (byte)(i % 4),
    };

    private struct CheckEvents : IEventHandler
    {
        public long Next;
        public long Errors;
        public void OnEvent(ref MarketEvent evt)
        {
            MarketEvent expected = Event(Next++);
            if (!MemoryMarshal.AsBytes(new ReadOnlySpan<MarketEvent>(in evt)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<MarketEvent>(in expected)))) Errors++;
        }
    }

    [Fact]
    public void Events_go_out_packed_many_to_a_message_and_come_back_byte_for_byte_in_order()
    {
        using Arena arena = NewArena();
        var (sub, pub) = Open("aeron:udp?endpoint=127.0.0.1:26871|term-length=64k", arena, 1);
        using var s = sub;
        using var publisher = new AeronRecordPublisher(pub);
        Assert.Equal((1408 - 32) / 64, publisher.RecordsPerMessage);
        var reader = new AeronEventReader<CheckEvents>(new CheckEvents());
        Connect(pub, () => sub.Poll(ref reader, 10));

        const long Count = 20_000;                                      // about 20 terms of 64 KiB: rollover included
        long i = 0;
        long deadline = MonoClock.NowNs() + 20_000_000_000;
        while (reader.Events < Count && MonoClock.NowNs() < deadline)
        {
            for (int k = 0; k < 64 && i < Count; k++)
            {
                MarketEvent e = Event(i);
                if (publisher.Pending == publisher.RecordsPerMessage && !publisher.Flush()) break;
                Assert.True(publisher.Publish(in e));
                i++;
            }
            if (i == Count) publisher.Flush();
            publisher.DoWork();
            sub.Poll(ref reader, 256);
        }
        Assert.Equal((Count, 0L, 0L), (reader.Handler.Next, reader.Handler.Errors, reader.Malformed));
        Assert.Equal(Count, publisher.Records);
        Assert.Equal(0, publisher.DroppedRecords);
        // 64 events between duty cycles: 21 + 21 + 21 + 1 (DoWork sends the partial batch); a refused offer adds at most one.
        Assert.InRange(publisher.Messages, Count / publisher.RecordsPerMessage, (Count + 63) / 64 * 4 + publisher.BackPressured);
    }

    private struct Signals : IAeronMessageHandler
    {
        public List<Signal> Received;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            Assert.Equal(Signal.Size, message.Length);
            Received.Add(MemoryMarshal.Read<Signal>(message));
        }
    }

    [Fact]
    public void The_signal_sink_sends_each_signal_at_once_as_its_own_message()
    {
        using Arena arena = NewArena();
        var (sub, pub) = Open("aeron:udp?endpoint=127.0.0.1:26872|term-length=64k", arena, 2);
        using var s = sub;
        using var publisher = new AeronRecordPublisher(pub, Signal.Size, recordsPerMessage: 1);
        var h = new Signals { Received = new List<Signal>() };
        Connect(pub, () => sub.Poll(ref h, 10));
        var sink = new AeronSignalSink(publisher);
        for (int i = 0; i < 50; i++)
        {
            var signal = new Signal { FeedSequence = (ulong)i, PatternId = i % 3, Instrument = i, OtherInstrument = -1, Strength = i * 0.5 };
            sink.OnSignal(in signal);
            Assert.Equal(0, publisher.Pending);                         // nothing waits for a batch
        }
        long deadline = MonoClock.NowNs() + 5_000_000_000;
        while (h.Received.Count < 50 && MonoClock.NowNs() < deadline)
        {
            publisher.DoWork();
            sub.Poll(ref h, 64);
        }
        Assert.Equal(50, h.Received.Count);
        for (int i = 0; i < 50; i++) Assert.Equal(((ulong)i, i % 3, i, i * 0.5), (h.Received[i].FeedSequence, h.Received[i].PatternId, h.Received[i].Instrument, h.Received[i].Strength));
        Assert.Equal((50L, 50L), (publisher.Records, publisher.Messages));
    }

    private struct Packets : IPacketHandler
    {
        public long Count;
        public long Errors;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            if (BinaryPrimitives.ReadInt64BigEndian(payload) != Count || payload.Length != 20 + Count % 1000 || info.LineId != 3
                || info.Source != PacketSourceKind.Aeron || info.ReceiveTimestampNs <= 0) Errors++;
            Count++;
        }
    }

    [Fact]
    public void A_feed_line_over_aeron_gets_each_message_as_one_packet_with_its_line_and_source()
    {
        const string Channel = "aeron:udp?endpoint=239.192.87.1:26873|interface=127.0.0.1|term-length=64k";
        using Arena arena = NewArena();
        var options = AeronSubscriptionOptions.FromChannel(Channel, 3) with { MaxImages = 1 };
        Assert.Equal(AeronSubscription.ArenaBytes(options), AeronPacketSource.ArenaBytes(options));
        using var source = new AeronPacketSource(options, arena, lineId: 3);
        using var pub = new AeronPublication(AeronPublicationOptions.FromChannel(Channel, 3), arena);
        var h = new Packets();
        Connect(pub, () => source.Poll(ref h, 10));
        byte[] packet = new byte[1100];                                 // up to 1019 B: a MoldUDP64 packet's size
        const long Count = 3000;
        long sent = 0;
        long deadline = MonoClock.NowNs() + 10_000_000_000;
        while (h.Count < Count && MonoClock.NowNs() < deadline)
        {
            BinaryPrimitives.WriteInt64BigEndian(packet, sent);
            if (sent < Count && pub.Offer(packet.AsSpan(0, 20 + (int)(sent % 1000))) > 0) sent++;
            pub.DoWork();
            source.Poll(ref h, 64);
        }
        Assert.Equal((Count, 0L), (h.Count, h.Errors));
        Assert.Equal(Count, source.Packets);
        Assert.True(source.Bytes > Count * 20);
    }

    [Fact]
    public void Records_that_find_the_batch_full_and_unsendable_are_dropped_and_counted()
    {
        using Arena arena = AeronTestLogs.NewArena(AeronTermLog.ArenaBytes(Term) + 4096);
        using var pub = new AeronPublication(AeronPublicationOptions.FromChannel("aeron:udp?endpoint=127.0.0.1:26874|term-length=64k", 4), arena);
        using var publisher = new AeronRecordPublisher(pub, MarketEvent.Size, recordsPerMessage: 4);
        MarketEvent e = Event(1);
        for (int i = 0; i < 10; i++) publisher.Publish(in e);          // nobody listens: never connected
        Assert.Equal((4, 6L, 0L), (publisher.Pending, publisher.DroppedRecords, publisher.Records));
        Assert.True(publisher.NotConnected >= 6);
        Assert.False(publisher.Flush());
        Assert.Equal(0, publisher.BackPressured);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AeronRecordPublisher(pub, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AeronRecordPublisher(pub, 64, recordsPerMessage: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AeronRecordPublisher(pub, 64, recordsPerMessage: Term));
    }

    [Fact]
    public void A_message_that_is_not_whole_events_is_counted_and_skipped()
    {
        var reader = new AeronEventReader<CheckEvents>(new CheckEvents());
        var header = new AeronHeader(1, 1, 0, 0, 0, AeronFlags.Unfragmented, 0, 0);
        reader.OnMessage(new byte[65], in header);
        reader.OnMessage(ReadOnlySpan<byte>.Empty, in header);
        MarketEvent e = Event(0);
        reader.OnMessage(MemoryMarshal.AsBytes(new ReadOnlySpan<MarketEvent>(in e)), in header);
        Assert.Equal((2L, 1L, 1L, 0L), (reader.Malformed, reader.Messages, reader.Events, reader.Handler.Errors));
    }
}
