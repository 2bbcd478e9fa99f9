using System;
using System.Buffers.Binary;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

public class ItchPacketDecoderTests
{
    private static readonly ItchPacketDecoder Decoder = new(new ItchFeedDecoder(), 1464);

    [Fact]
    public void Bound_is_the_mold_message_count_capped_by_the_datagram_size()
    {
        Assert.Equal((1464 - 20) / 14, Decoder.MaxEventsPerPacket);
        var header = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18), 37);
        Assert.Equal(37, Decoder.EventBound(header));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18), 0);
        Assert.Equal(0, Decoder.EventBound(header));                       // heartbeat
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18), 0xFFFF);
        Assert.Equal(0, Decoder.EventBound(header));                       // end of session
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18), 5000);
        Assert.Equal(Decoder.MaxEventsPerPacket, Decoder.EventBound(header)); // a lying count is capped
        Assert.Equal(0, Decoder.EventBound(header.AsSpan(0, 19)));          // truncated header
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]   // 20-byte MoldUDP64 header + 2-byte length + 12 bytes of the shortest message = 34
    public void A_datagram_limit_too_small_for_one_message_is_refused(int maxDatagramBytes)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ItchPacketDecoder(new ItchFeedDecoder(), maxDatagramBytes));
        Assert.Equal("maxDatagramBytes", e.ParamName);
        Assert.Equal(1, new ItchPacketDecoder(new ItchFeedDecoder(), 34).MaxEventsPerPacket);
    }

    [Fact]
    public void Packets_decode_into_a_batch_of_64_without_losing_or_reordering_events()
    {
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 3, Instruments = 8, Sectors = 2 }), "WIRESPEED1", 1400,
            SimTimestampMode.Virtual, 20_000);
        var source = new PacketBatchSource<SimPackets, ItchPacketDecoder>(new SimPackets(new SimPacketSource(feed)),
            new ItchPacketDecoder(new ItchFeedDecoder(), 1464));
        var batch = new MarketEvent[64];
        ulong expected = 1;
        for (int n; (n = source.Fill(batch)) > 0; )
            for (int i = 0; i < n; i++) Assert.Equal(expected++, batch[i].Sequence);
        Assert.Equal((ulong)feed.MessagesPacked + 1, expected);
        Assert.Equal(0, source.OverflowCount);
    }

    /// <summary>A <see cref="SimPacketSource"/> as a struct packet source (shared with the multi-line decoder tests).</summary>
    internal readonly struct SimPackets : IPacketSource
    {
        private readonly SimPacketSource _s;
        public SimPackets(SimPacketSource s) => _s = s;
        public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler => _s.Poll(ref handler, limit);
    }
}
