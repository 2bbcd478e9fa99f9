using System;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>Several feed lines decoded on one worker: each datagram by its own line's decoder (session, sequencing, counters).</summary>
public class ItchLinesDecoderTests
{
    private static SimFeed Feed(int venue, string session)
        => new(new ExchangeSimulator(new SimulatorOptions { Seed = 5, Instruments = 8, Sectors = 2, Venue = venue }), session, 1400, SimTimestampMode.Virtual, 20_000);

    [Fact]
    public void Each_lines_packets_are_sequenced_by_that_lines_decoder_and_stamped_with_its_line()
    {
        var a = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { ExpectedSession = "VENUEA0000" } });
        var b = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { ExpectedSession = "VENUEB0000" } });
        var fa = Feed(0, "VENUEA0000");
        var fb = Feed(1, "VENUEB0000");
        var decoder = new ItchLinesDecoder(new LineIndex([3, 9]), [new ItchPacketDecoder(a, 1464), new ItchPacketDecoder(b, 2048)]);
        Assert.Equal(new ItchPacketDecoder(b, 2048).MaxEventsPerPacket, decoder.MaxEventsPerPacket);   // the largest line's
        var source = new PacketBatchSource<LinesPacketSource<ItchPacketDecoderTests.SimPackets>, ItchLinesDecoder>(
            new LinesPacketSource<ItchPacketDecoderTests.SimPackets>([new ItchPacketDecoderTests.SimPackets(new SimPacketSource(fa, 3)), new ItchPacketDecoderTests.SimPackets(new SimPacketSource(fb, 9))]), decoder);
        var batch = new MarketEvent[64];
        ulong nextA = 1, nextB = 1;
        for (int n; (n = source.Fill(batch)) > 0; )
        {
            for (int i = 0; i < n; i++)
            {
                if (batch[i].LineId == 3) Assert.Equal(nextA++, batch[i].Sequence);   // each line's own sequence, in order
                else
                {
                    Assert.Equal(9, batch[i].LineId);
                    Assert.Equal(nextB++, batch[i].Sequence);
                }
            }
        }
        Assert.Equal((ulong)fa.MessagesPacked, nextA - 1);
        Assert.Equal((ulong)fb.MessagesPacked, nextB - 1);
        Assert.Equal(fa.MessagesPacked, a.Counters.Messages);
        Assert.Equal(fb.MessagesPacked, b.Counters.Messages);
        Assert.Equal(0, a.MoldCounters.WrongSession);   // neither saw the other's session
        Assert.Equal(0, b.MoldCounters.WrongSession);
        Assert.Equal(0, source.OverflowCount);
        Assert.Same(b, decoder[1].Decoder);
    }

    [Fact]
    public void Bad_line_lists_are_refused_at_start_up()
    {
        var d = new ItchPacketDecoder(new ItchFeedDecoder(), 1464);
        Assert.Throws<ArgumentException>(() => new ItchLinesDecoder(new LineIndex([1, 2]), [d]));
        Assert.Throws<ArgumentException>(() => new ItchLinesDecoder(new LineIndex([]), []));
        Assert.Throws<ArgumentNullException>(() => new ItchLinesDecoder(new LineIndex([1]), null!));
    }
}
