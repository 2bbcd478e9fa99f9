using System;
using System.Buffers.Binary;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Replay;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

/// <summary>
/// The replay gate packet by packet: arguments it refuses, a paced wait that sleeps and one cut short by a stop, a time
/// of day over epoch timestamps, and a --from-seq start against packets that are too short or end the session.
/// </summary>
public sealed class ReplayControlGateTests
{
    private const long Ms = 1_000_000;

    private static PacketInfo At(long ns) => new(ns, 0, PacketSourceKind.Journal);

    /// <summary>A MoldUDP64 downstream header (session, sequence, count) and nothing after it.</summary>
    private static byte[] Mold(ulong sequence, ushort count)
    {
        var p = new byte[20];
        "SESSION001"u8.CopyTo(p);
        BinaryPrimitives.WriteUInt64BigEndian(p.AsSpan(10), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(18), count);
        return p;
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_speed_that_is_negative_not_a_number_or_infinite_is_refused(double speed)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayControl(speed));
        Assert.Equal("speed", e.ParamName);
    }

    [Fact]
    public void A_time_of_day_of_a_whole_day_or_more_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayControl(fromTimeOfDayNs: ReplayControl.DayNs));
        Assert.Equal("fromTimeOfDayNs", e.ParamName);
        Assert.Equal(ReplayControl.DayNs - 1, new ReplayControl(fromTimeOfDayNs: ReplayControl.DayNs - 1).FromTimeOfDayNs);
    }

    [Fact]
    public void An_origin_set_before_the_first_packet_counts_the_start_offset_from_it_not_from_the_first_delivered()
    {
        // A recording seeked through its index to origin + 50 ms hands over packets from there: the offset still counts
        // from the input's first packet (the origin), so nothing more is skipped.
        var c = new ReplayControl(fromOffsetNs: 50 * Ms);
        c.SetOrigin(10 * Ms);
        Assert.True(c.Admit([], At(60 * Ms)));
        Assert.Equal(0, c.Skipped);
        // Without the origin, the first packet seen would be the origin and the next 50 ms would be skipped.
        var plain = new ReplayControl(fromOffsetNs: 50 * Ms);
        Assert.False(plain.Admit([], At(60 * Ms)));
        Assert.Equal(1, plain.Skipped);
    }

    [Fact]
    public void A_paced_packet_not_yet_due_is_waited_for_then_delivered()
    {
        var c = new ReplayControl(speed: 1);
        Assert.True(c.Admit([], At(10 * Ms)));
        long before = Wirespeed.Core.Time.MonoClock.NowNs();
        // Due 200 ms after the first: sleeps, then spins the last 2 ms (200 ms, not less: the test thread may be
        // descheduled for tens of ms on a loaded machine, and the packet must still be early when it arrives).
        Assert.True(c.Admit([], At(210 * Ms)));
        Assert.True(Wirespeed.Core.Time.MonoClock.NowNs() - before >= 190 * Ms);
        Assert.Equal(1, c.Waits);
        Assert.Equal(2, c.Delivered);
        Assert.Equal(210 * Ms, c.LastRecordedNsApprox);
    }

    [Fact]
    public void A_stop_while_a_paced_packet_waits_drops_that_packet()
    {
        var c = new ReplayControl(speed: 1);
        Assert.True(c.Admit([], At(10 * Ms)));
        c.RequestStop();
        Assert.True(c.StopRequested);
        Assert.False(c.Admit([], At(10 * Ms + 3_600_000 * Ms)));   // an hour later: not waited for
        Assert.Equal(1, c.Waits);
        Assert.Equal(1, c.Delivered);
        Assert.Equal(10 * Ms, c.LastRecordedNsApprox);
    }

    [Fact]
    public void A_time_of_day_over_epoch_timestamps_counts_from_the_exchanges_midnight()
    {
        long midnight = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * Ms;
        long hour = 3_600_000 * Ms;
        var c = new ReplayControl(fromTimeOfDayNs: 14 * hour + 30 * 60_000 * Ms, zone: TimeZoneInfo.Utc);
        Assert.False(c.Admit([], At(midnight + 14 * hour)));            // 14:00, before 14:30
        Assert.False(c.Admit([], At(midnight + 14 * hour + 29 * 60_000 * Ms)));
        Assert.True(c.Admit([], At(midnight + 14 * hour + 31 * 60_000 * Ms)));
        Assert.Equal(2, c.Skipped);
        Assert.Equal(1, c.Delivered);
        Assert.Equal(midnight + 14 * hour + 31 * 60_000 * Ms, c.FirstRecordedNs);
    }

    [Fact]
    public void From_a_sequence_packets_too_short_for_a_header_and_end_of_session_packets_are_skipped()
    {
        var c = new ReplayControl(fromSequence: 5);
        Assert.False(c.Admit(new byte[12], At(1)));                   // no MoldUDP64 header to read
        Assert.False(c.Admit(Mold(9, 0xFFFF), At(2)));                // end of session: nothing to start at
        Assert.False(c.Admit(Mold(1, 4), At(3)));                     // messages 1..4, before 5
        Assert.True(c.Admit(Mold(4, 2), At(4)));                      // holds 5
        Assert.Equal(3, c.Skipped);
        Assert.Equal(1, c.Delivered);
    }

    [Fact]
    public void The_replay_plug_needs_a_control_and_the_file_wrappers_expose_their_source()
    {
        var itch = new ItchFileSource(new byte[0]);
        var e = Assert.Throws<ArgumentNullException>(() => new ReplayPackets<ItchFilePackets>(new ItchFilePackets(itch), null!));
        Assert.Equal("control", e.ParamName);
        Assert.Same(itch, new ItchFilePackets(itch).Source);

        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B23C4D);     // nanosecond pcap, little-endian
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65_535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);   // Ethernet
        using var pcap = new PcapSource(header);
        var packets = new PcapPackets(pcap);
        Assert.Same(pcap, packets.Source);
        var h = new NoPackets();
        Assert.Equal(0, packets.Poll(ref h, 8));
    }

    private struct NoPackets : IPacketHandler
    {
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => throw new InvalidOperationException("no packet expected");
    }
}
