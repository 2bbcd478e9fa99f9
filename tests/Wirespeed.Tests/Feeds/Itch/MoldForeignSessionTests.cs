using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>
/// Two simulators on one group, each with its own MoldUDP64 session (two demos on one host): the line that expects its
/// session applies exactly its own packets, counts every foreign one and names the foreign session, and its books come
/// out as if it had been alone.
/// </summary>
public sealed class MoldForeignSessionTests
{
    private const string Own = "W00001110A", Foreign = "W00002220A";
    private const long Messages = 40_000;

    private static SimFeed Feed(string session, ulong seed)
        => new(new ExchangeSimulator(new SimulatorOptions { Seed = seed, Instruments = 16, Sectors = 2 }), session, 1400, SimTimestampMode.Virtual, Messages);

    /// <summary>Decodes the packets of <paramref name="own"/> and, when given, <paramref name="foreign"/> interleaved one by one.</summary>
    private static (ItchFeedDecoder Decoder, OrderBookSet Books, long ForeignPackets, long OwnMessages) Run(string expected, SimFeed own, SimFeed? foreign)
    {
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { ExpectedSession = expected } });
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 64, MaxLiveOrders = 1 << 16 });
        var events = new MarketEvent[512];
        var info = new PacketInfo(0, 0, PacketSourceKind.InProcess);
        long foreignPackets = 0;
        void Apply(ReadOnlySpan<byte> packet)
        {
            int n = decoder.Decode(packet, in info, events);
            for (int i = 0; i < n; i++) books.Apply(ref events[i]);
        }
        // Alternating packet by packet while the line's own session lasts (after its end of session a line without a
        // configured session adopts the next one, as MoldUDP64 says; MoldSessionConfiguredTests covers that case).
        bool foreignTurn = false;
        while (!own.Ended)
        {
            SimFeed next = foreignTurn && foreign is not null && !foreign.Ended ? foreign : own;
            foreignTurn = !foreignTurn;
            ReadOnlySpan<byte> p = next.NextPacket();
            if (p.IsEmpty) continue;
            if (next == foreign) foreignPackets++;
            Apply(p);
        }
        return (decoder, books, foreignPackets, own.MessagesPacked);
    }

    [Fact]
    public void A_line_expecting_its_session_applies_only_its_own_packets_and_counts_the_foreign_ones()
    {
        var alone = Run(Own, Feed(Own, 5), null);
        var shared = Run(Own, Feed(Own, 5), Feed(Foreign, 9));

        var m = shared.Decoder.MoldCounters;
        Assert.True(shared.ForeignPackets > 100, $"only {shared.ForeignPackets} foreign packets were sent");
        Assert.Equal(shared.ForeignPackets, m.WrongSession);             // every foreign packet counted, none applied
        Assert.Equal(0, m.GapMessages);                                  // nothing of its own lost ...
        Assert.Equal(0, m.DuplicateMessages);                            // ... nor taken for a duplicate
        Assert.Equal(0, m.SessionChanges);
        Assert.Equal(shared.OwnMessages, shared.Decoder.Counters.Messages);
        Assert.Equal(alone.Decoder.Counters.Messages, shared.Decoder.Counters.Messages);
        Assert.Equal(alone.Books.Checksum(), shared.Books.Checksum());   // the books are as if it had been alone
        Assert.False(shared.Decoder.Session.IsStale);
        Assert.Equal(Foreign, shared.Decoder.Session.FirstForeignSession);
        Assert.Null(alone.Decoder.Session.FirstForeignSession);
    }

    [Fact]
    public void A_line_that_adopts_its_session_rejects_a_second_one_after_the_first_packet()
    {
        // No configured session: the first packet (its own, here) fixes it; the other sender's are foreign from then on
        // (until the own session ends: then MoldUDP64 lets the next session in, which is why production configures it).
        var shared = Run("", Feed(Own, 5), Feed(Foreign, 9));
        Assert.Equal(shared.ForeignPackets, shared.Decoder.MoldCounters.WrongSession);
        Assert.Equal(0, shared.Decoder.MoldCounters.GapMessages);
        Assert.Equal(shared.OwnMessages, shared.Decoder.Counters.Messages);
        Assert.Equal(Foreign, shared.Decoder.Session.FirstForeignSession);
    }

    [Fact]
    public void The_first_foreign_session_is_kept_printable()
    {
        var s = new MoldSession(new MoldSessionOptions { ExpectedSession = Own });
        Assert.Equal(MoldVerdict.WrongSession, s.OnPacket("AB\u0001\0CDEFGH"u8, 1, 1, 0, out _));
        Assert.Equal(MoldVerdict.WrongSession, s.OnPacket("SECOND    "u8, 1, 1, 0, out _));
        Assert.Equal("AB??CDEFGH", s.FirstForeignSession);                // the first one, control bytes shown as '?'
        Assert.Equal(2, s.Counters.WrongSession);
    }
}
