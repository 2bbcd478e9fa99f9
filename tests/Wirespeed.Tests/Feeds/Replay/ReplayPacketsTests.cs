using System;
using System.IO;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

/// <summary>The replay plug: any packet source behind a <see cref="ReplayControl"/> (end, start filter, stop, pace), allocation-free.</summary>
public sealed class ReplayPacketsTests
{
    private static readonly byte[] s_day = File.ReadAllBytes(SharedData.Path("itch/artificial-3-stocks.itch50"));   // 12,012 messages

    private struct Counting : IPacketHandler
    {
        public long Packets;
        public long LastTimestamp;
        public ulong FirstSequence;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            if (Packets++ == 0) FirstSequence = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(payload.Slice(10));
            LastTimestamp = info.ReceiveTimestampNs;
        }
    }

    private static ReplayPackets<ItchFilePackets> Over(ReplayControl control) => new(new ItchFilePackets(new ItchFileSource(s_day)), control);

    private static long Drain(ReplayPackets<ItchFilePackets> packets, ref Counting handler)
    {
        long polls = 0;
        while (!packets.Control.Ended && polls++ < 1_000_000) packets.Poll(ref handler, 64);
        return polls;
    }

    [Fact]
    public void Delivers_the_whole_input_then_says_it_ended()
    {
        var control = new ReplayControl();
        var packets = Over(control);
        var h = new Counting();
        Drain(packets, ref h);
        Assert.True(control.Ended);
        Assert.Equal(12_012, h.Packets);
        Assert.Equal(0, packets.Poll(ref h, 64));
        Assert.Equal(1UL, h.FirstSequence);
        Assert.True(control.FirstRecordedNs > 0);
    }

    [Fact]
    public void From_seq_skips_the_packets_before_it_and_counts_them()
    {
        var control = new ReplayControl(fromSequence: 5_000);
        var h = new Counting();
        Drain(Over(control), ref h);
        Assert.Equal(5_000UL, h.FirstSequence);
        Assert.Equal(4_999, control.Skipped);
        Assert.Equal(12_012 - 4_999, h.Packets);
    }

    [Fact]
    public void From_time_of_day_starts_at_the_first_message_at_or_after_it()
    {
        var all = new Counting();
        Drain(Over(new ReplayControl()), ref all);
        long last = all.LastTimestamp;
        var control = new ReplayControl(fromTimeOfDayNs: last);   // an ITCH file's times are ns since midnight
        var h = new Counting();
        Drain(Over(control), ref h);
        Assert.True(h.Packets >= 1 && h.Packets < 12_012, h.Packets.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(last, control.FirstRecordedNs);
        Assert.Equal(12_012, h.Packets + control.Skipped);
    }

    [Fact]
    public void A_stop_request_ends_delivery_at_the_next_poll()
    {
        var control = new ReplayControl();
        var packets = Over(control);
        var h = new Counting();
        while (h.Packets < 64) Assert.True(packets.Poll(ref h, 64 - (int)h.Packets) > 0);   // the first packet passes the gate alone
        control.RequestStop();
        Assert.Equal(0, packets.Poll(ref h, 64));
        Assert.Equal(64, h.Packets);
    }

    [Fact]
    public void A_paced_replay_delivers_everything_in_order_at_a_high_factor()
    {
        var control = new ReplayControl(speed: 1e9);
        var h = new Counting();
        Drain(Over(control), ref h);
        Assert.Equal(12_012, h.Packets);
        Assert.Equal(12_012, control.Delivered);
    }

    [Theory]
    [InlineData(0.0, 0UL)]
    [InlineData(0.0, 100UL)]
    [InlineData(1e12, 0UL)]
    public void Polling_allocates_nothing(double speed, ulong fromSequence)
    {
        var packets = Over(new ReplayControl(speed, fromSequence: fromSequence));
        var h = new Counting();
        for (int i = 0; i < 10; i++) packets.Poll(ref h, 64);   // warm-up: JIT, first packet
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) packets.Poll(ref h, 64);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(h.Packets > 6_000);
    }
}
