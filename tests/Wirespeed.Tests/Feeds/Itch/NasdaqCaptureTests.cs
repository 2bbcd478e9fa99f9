using System;
using System.Collections.Generic;
using System.Text;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>
/// The real NASDAQ captures in shared/data/itch/nasdaq-packets, decoded field by field. Expected values were read by
/// hand from the bytes against the ITCH 5.0 layouts (offsets in ItchLayout). The per-type captures carry a zeroed
/// MoldUDP64 session and sequence, so they are decoded with sequence checking off; a separate test shows what the
/// sequencer does with them when it is on.
/// </summary>
public sealed class NasdaqCaptureTests
{
    // 2023-08-22 00:00 EDT (UTC-4) in Unix ns: the captures were taken on 2023-08-22 around 13:30 UTC.
    private const long Midnight = 1_692_676_800L * 1_000_000_000L;

    private sealed record Captured(byte[] Payload, long ReceiveNs);

    private struct Collect : IPacketHandler
    {
        public List<Captured> Packets;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Packets.Add(new Captured(payload.ToArray(), info.ReceiveTimestampNs));
    }

    private static List<Captured> Read(string file)
    {
        var source = PcapSource.Open(SharedData.Path("itch/nasdaq-packets/" + file), lineId: 1);
        Assert.Equal(PcapFormat.Nanoseconds, source.Format);
        Assert.Equal(PcapSource.LinkTypeEthernet, source.LinkType);
        var h = new Collect { Packets = new List<Captured>() };
        while (source.Poll(ref h, 64) > 0) { }
        Assert.True(source.IsAtEnd);
        Assert.Equal(source.Counters.Records, source.Counters.UdpPayloads); // every frame was VLAN/IPv4/UDP
        Assert.Equal(0, source.Counters.TruncatedTailBytes);
        return h.Packets;
    }

    /// <summary>The single ITCH message of each zero-sequenced packet, plus the event the decoder made of it.</summary>
    private static List<(byte[] Message, MarketEvent Event)> Messages(string file, int expectedPackets)
    {
        List<Captured> packets = Read(file);
        Assert.Equal(expectedPackets, packets.Count);
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { MidnightEpochNs = Midnight, Session = new MoldSessionOptions { CheckSequence = false } });
        var result = new List<(byte[], MarketEvent)>();
        foreach (Captured p in packets)
        {
            var reader = new MoldPacketReader(p.Payload);
            Assert.Equal(DecodeStatus.Ok, reader.HeaderStatus);
            Assert.Equal(new byte[10], reader.Session.ToArray());
            Assert.Equal(0UL, reader.Sequence);
            Assert.Equal(1, reader.Count);
            Assert.Equal(DecodeStatus.Ok, reader.TryRead(out ReadOnlySpan<byte> message));
            Assert.Equal(DecodeStatus.End, reader.TryRead(out _));
            Assert.Equal(0, reader.Remaining);
            var events = ItchTestData.DecodeAll(decoder, p.Payload, p.ReceiveNs);
            Assert.Single(events);
            MarketEvent e = events[0];
            Assert.True(e.ExchangeTimestampNs < p.ReceiveNs, "exchange time precedes capture time");
            Assert.True(p.ReceiveNs - e.ExchangeTimestampNs < 1_000_000, "capture within 1 ms of the exchange timestamp");
            Assert.Equal(EventFlags.EndOfPacket, e.Flags);
            result.Add((message.ToArray(), e));
        }
        Assert.Equal(expectedPackets, decoder.Counters.Messages);
        return result;
    }

    private static string S(ReadOnlySpan<byte> b) => Encoding.ASCII.GetString(b);

    [Fact]
    public void Add_order_without_mpid_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, ulong Ref, char Side, uint Shares, string Stock, long Price)[]
        {
            (5528, 34199999894278, 23508286, 'B', 1600, "IVOO", 873900),
            (8554, 34199999914224, 21361419, 'S', 100, "RETL", 71700),
            (11112, 34199999968613, 34103800, 'S', 100, "XLF", 339500),
            (11112, 34199999982857, 34103812, 'S', 4000, "XLF", 339500),
            (9751, 34200000084959, 34103828, 'S', 200, "T", 141300),
        };
        var got = Messages("AddOrderNoMPID.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchAddOrder.TryRead(got[i].Message, out var v));
            Assert.Equal((byte)'A', v.Header.MessageType);
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(0, v.Header.TrackingNumber);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Ref, v.OrderReference);
            Assert.Equal((byte)x.Side, v.Side);
            Assert.Equal(x.Shares, v.Shares);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal(x.Price, v.Price);
            MarketEvent e = got[i].Event;
            Assert.Equal(EventKind.AddOrder, e.Kind);
            Assert.Equal(x.Locate, e.Instrument);
            Assert.Equal(Midnight + x.Ts, e.ExchangeTimestampNs);
            Assert.Equal(x.Ref, e.OrderId);
            Assert.Equal((Side)x.Side, e.Side);
            Assert.Equal(x.Shares, e.Quantity);
            Assert.Equal(x.Price, e.Price);
            Assert.Equal(3, e.LineId); // ItchTestData.Info's line
        }
        // The first record's capture time, nanosecond pcap: 1692711000 s + 59094 ns.
        Assert.Equal(1_692_711_000_000_059_094L, Read("AddOrderNoMPID.pcap")[0].ReceiveNs);
    }

    [Fact]
    public void Add_order_with_mpid_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, ulong Ref, char Side, uint Shares, string Stock, long Price, string Mpid)[]
        {
            (1738, 34199999977782, 18923125, 'S', 100, "CASY", 2555200, "FLTU"),
            (10177, 34200000089678, 34103852, 'S', 100, "TSVT", 66100, "FLTU"),
            (3163, 34200000098325, 23508474, 'S', 800, "EIDO", 238200, "GSCO"),
            (8362, 34200000151606, 21361463, 'S', 100, "QLYS", 1605800, "FLTU"),
            (10536, 34200000192403, 34103964, 'S', 100, "VCYT", 296400, "FLTU"),
        };
        var got = Messages("AddOrderWithMPID.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchAddOrder.TryRead(got[i].Message, out var v));
            Assert.Equal((byte)'F', v.Header.MessageType);
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Ref, v.OrderReference);
            Assert.Equal((byte)x.Side, v.Side);
            Assert.Equal(x.Shares, v.Shares);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal(x.Price, v.Price);
            Assert.Equal(x.Mpid, S(v.Attribution));
            Assert.Equal(EventKind.AddOrder, got[i].Event.Kind);
            Assert.Equal(x.Price, got[i].Event.Price);
            Assert.Equal(x.Ref, got[i].Event.OrderId);
        }
    }

    [Fact]
    public void Order_executed_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, ushort Track, long Ts, ulong Ref, uint Shares, ulong Match)[]
        {
            (2345, 2, 34199999934561, 23499418, 25, 255547),
            (9509, 2, 34200000403290, 34057696, 2000, 255548),
            (9509, 4, 34200000403290, 34066156, 200, 255549),
            (608, 2, 34200000496208, 18920949, 1, 255551),
            (11214, 2, 34200000566216, 26890664, 699, 255552),
        };
        var got = Messages("OrderExecuted.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchOrderExecuted.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Track, v.Header.TrackingNumber);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Ref, v.OrderReference);
            Assert.Equal(x.Shares, v.ExecutedShares);
            Assert.Equal(x.Match, v.MatchNumber);
            MarketEvent e = got[i].Event;
            Assert.Equal(EventKind.OrderExecuted, e.Kind);
            Assert.Equal(x.Ref, e.OrderId);
            Assert.Equal(x.Shares, e.Quantity);
            Assert.Equal(x.Match, e.Aux);
        }
    }

    [Fact]
    public void Order_executed_with_price_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, ulong Ref, uint Shares, ulong Match, char Printable, long Price)[]
        {
            (5092, 34200001163323, 19993566, 4926, 255581, 'N', 224800),
            (11233, 34200001652818, 10138168, 4, 255626, 'N', 8500),
            (9509, 34200007615761, 34105576, 100, 256056, 'Y', 4411700),
            (9509, 34200007615761, 34106808, 100, 256057, 'Y', 4411700),
            (6003, 34200008266604, 21364519, 72, 256074, 'Y', 48500),
        };
        var got = Messages("OrderExecutedWithPrice.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchOrderExecutedWithPrice.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Ref, v.OrderReference);
            Assert.Equal(x.Shares, v.ExecutedShares);
            Assert.Equal(x.Match, v.MatchNumber);
            Assert.Equal((byte)x.Printable, v.Printable);
            Assert.Equal(x.Price, v.ExecutionPrice);
            Assert.Equal(EventKind.OrderExecutedWithPrice, got[i].Event.Kind);
            Assert.Equal(x.Price, got[i].Event.Price);
            Assert.Equal(x.Match, got[i].Event.Aux);
        }
    }

    [Fact]
    public void Order_cancel_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, ulong Ref, uint Shares)[]
        {
            (9413, 34200002394205, 33823232, 100),
            (4499, 34200002464667, 23503754, 100),
            (10636, 34200003211026, 34083228, 200),
            (6485, 34200006901693, 21259975, 2000),
            (973, 34200007174153, 18901405, 200),
        };
        var got = Messages("OrderCancel.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchOrderCancel.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Ref, v.OrderReference);
            Assert.Equal(x.Shares, v.CancelledShares);
            Assert.Equal(EventKind.OrderCancel, got[i].Event.Kind);
            Assert.Equal(x.Shares, got[i].Event.Quantity);
        }
    }

    [Fact]
    public void Order_delete_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, ulong Ref)[]
        {
            (3353, 34199999889645, 23442714),
            (3353, 34199999889850, 23440170),
            (3517, 34199999896280, 23497686),
            (1109, 34199999912765, 18906389),
            (7499, 34199999920371, 21358375),
        };
        var got = Messages("OrderDelete.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchOrderDelete.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Ref, v.OrderReference);
            Assert.Equal(EventKind.OrderDelete, got[i].Event.Kind);
            Assert.Equal(x.Ref, got[i].Event.OrderId);
        }
    }

    [Fact]
    public void Order_replace_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, ulong Orig, ulong New, uint Shares, long Price)[]
        {
            (7603, 34199999836649, 15108479, 21361351, 100, 1062600),
            (7603, 34199999839204, 15108487, 21361355, 100, 1062600),
            (7603, 34199999839753, 15108483, 21361359, 100, 1062600),
            (3709, 34199999842535, 22987054, 23508278, 100, 1614000),
            (310, 34199999852428, 18188209, 18923109, 100, 217300),
        };
        var got = Messages("OrderReplace.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchOrderReplace.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Orig, v.OriginalOrderReference);
            Assert.Equal(x.New, v.NewOrderReference);
            Assert.Equal(x.Shares, v.Shares);
            Assert.Equal(x.Price, v.Price);
            MarketEvent e = got[i].Event;
            Assert.Equal(EventKind.OrderReplace, e.Kind);
            Assert.Equal(x.Orig, e.OrderId);
            Assert.Equal(x.New, e.Aux);
            Assert.Equal(x.Price, e.Price);
        }
    }

    [Fact]
    public void Non_cross_trade_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, ushort Track, long Ts, uint Shares, string Stock, long Price, ulong Match)[]
        {
            (4499, 2, 34200000684713, 100, "GOOGL", 1284600, 255554),
            (6856, 2, 34200000971740, 14, "MU", 644100, 255569),
            (8327, 2, 34200000991243, 27, "QCOM", 1115300, 255571),
            (749, 2, 34200000997052, 2, "ASML", 6795200, 255573),
            (749, 4, 34200000997052, 4, "ASML", 6795200, 255574),
        };
        var got = Messages("NonCrossTrade.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchTrade.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Track, v.Header.TrackingNumber);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(0UL, v.OrderReference); // NASDAQ zeroes it for non-displayed executions
            Assert.Equal((byte)'B', v.Side);
            Assert.Equal(x.Shares, v.Shares);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal(x.Price, v.Price);
            Assert.Equal(x.Match, v.MatchNumber);
            Assert.Equal(EventKind.Trade, got[i].Event.Kind);
            Assert.Equal(Side.Buy, got[i].Event.Side);
            Assert.Equal(x.Match, got[i].Event.Aux);
        }
    }

    [Fact]
    public void Cross_trade_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, ushort Track, long Ts, ulong Shares, string Stock, long Price, ulong Match)[]
        {
            (983, 1, 34200000483331, 0, "BAC-Q", 0, 255550),
            (4234, 1, 34200000652059, 0, "GCV", 0, 255553),
            (8231, 2, 34200000781447, 5577, "PTGX", 195600, 255561),
            (1382, 1, 34200000795685, 0, "BNED", 0, 255562),
            (5092, 2, 34200001163323, 5379, "IBTG", 224800, 255582),
        };
        var got = Messages("CrossTrade.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchCrossTrade.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Track, v.Header.TrackingNumber);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Shares, v.Shares);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal(x.Price, v.CrossPrice);
            Assert.Equal(x.Match, v.MatchNumber);
            Assert.Equal((byte)'O', v.CrossType); // opening cross
            Assert.Equal(EventKind.CrossTrade, got[i].Event.Kind);
            Assert.Equal((long)x.Shares, got[i].Event.Quantity);
        }
    }

    [Fact]
    public void System_event_capture_is_the_start_of_market_hours()
    {
        var got = Messages("SystemEvent.pcap", 1);
        Assert.Equal(DecodeStatus.Ok, ItchSystemEvent.TryRead(got[0].Message, out var v));
        Assert.Equal(0, v.Header.StockLocate);
        Assert.Equal(34_200_000_070_384L, v.Header.Timestamp); // 09:30:00.000070384
        Assert.Equal((byte)'Q', v.EventCode);
        Assert.Equal(EventKind.SystemEvent, got[0].Event.Kind);
        Assert.Equal((ulong)'Q', got[0].Event.Aux);
        Assert.Equal(0, got[0].Event.Instrument);
    }

    [Fact]
    public void Stock_trading_action_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, string Stock, char State, string Reason)[]
        {
            (11325, 34215592125541, "ZXZZT", 'P', "LUDP"),
            (11320, 34216302093801, "ZVZZT", 'P', "LUDP"),
            (1707, 34220599106486, "CAML", 'H', ""),
            (6285, 34241583109014, "LTRY", 'P', "LUDP"),
            (2378, 34260849901211, "CSMD", 'H', ""),
        };
        var got = Messages("StockTradingAction.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchStockTradingAction.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal((byte)x.State, v.TradingState);
            Assert.Equal((byte)' ', v.Reserved);
            Assert.Equal(x.Reason, S(v.Reason));
            Assert.Equal(EventKind.TradingAction, got[i].Event.Kind);
            Assert.Equal((byte)x.State, (byte)got[i].Event.Aux);
        }
    }

    [Fact]
    public void Reg_sho_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, string Stock)[]
        {
            (9405, 34200116533431, "SOPA"), (2282, 34200150870585, "CPHI"), (2453, 34200156306992, "CUENW"),
            (6806, 34200156507124, "MSGM"), (11203, 34200161634344, "YCBD-A"),
        };
        var got = Messages("RegSHORestriction.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchRegShoRestriction.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal((byte)'1', v.RegShoAction); // restriction in effect (intra-day drop)
            Assert.Equal(EventKind.Status, got[i].Event.Kind);
            Assert.Equal((ulong)'Y' | ((ulong)'1' << 8), got[i].Event.Aux);
        }
    }

    [Fact]
    public void Market_participant_position_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, string Mpid, string Stock, char State)[]
        {
            (3648, 34224468064326, "MAXM", "FDLS", 'A'),
            (3731, 34224494802989, "MAXM", "FGMC", 'A'),
            (3586, 34320828893814, "RILY", "FBIO", 'E'),
            (9768, 34437787611659, "NITE", "TAN", 'E'),
            (9768, 34443930332539, "VIRT", "TAN", 'E'),
        };
        var got = Messages("MarketParticipantPosition.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchMarketParticipantPosition.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Mpid, S(v.Mpid));
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal((byte)'Y', v.PrimaryMarketMaker);
            Assert.Equal((byte)'N', v.MarketMakerMode);
            Assert.Equal((byte)x.State, v.MarketParticipantState);
            Assert.Equal(EventKind.Status, got[i].Event.Kind);
        }
    }

    [Fact]
    public void Noii_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, ulong Paired, char Dir, string Stock, long Price, char Pvi)[]
        {
            (7853, 34200000087025, 0, 'O', "PFTAW", 0, ' '),
            (4316, 34200000088833, 0, 'O', "GFOR=", 0, ' '),
            (6659, 34200000092117, 0, 'O', "MMM", 0, ' '),
            (6462, 34200000268978, 1, 'N', "MDC", 464400, 'L'),
            (9228, 34200000399147, 1, 'N', "SKOR", 462700, 'L'),
        };
        var got = Messages("NetOrderImbalanceIndicator.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchNetOrderImbalance.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Paired, v.PairedShares);
            Assert.Equal(0UL, v.ImbalanceShares);
            Assert.Equal((byte)x.Dir, v.ImbalanceDirection);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal(x.Price, v.FarPrice);
            Assert.Equal(x.Price, v.NearPrice);
            Assert.Equal(x.Price, v.CurrentReferencePrice);
            Assert.Equal((byte)'O', v.CrossType);
            Assert.Equal((byte)x.Pvi, v.PriceVariationIndicator);
            MarketEvent e = got[i].Event;
            Assert.Equal(EventKind.Imbalance, e.Kind);
            Assert.Equal(Side.None, e.Side); // 'N' no imbalance, 'O' insufficient orders
            Assert.Equal(x.Price, e.Price);
        }
    }

    [Fact]
    public void Luld_collar_capture_decodes_field_by_field()
    {
        var expected = new (ushort Locate, long Ts, string Stock, long Ref, long Up, long Lo, uint Ext)[]
        {
            (11325, 34215592415125, "ZXZZT", 133400, 140100, 109200, 0),
            (11320, 34216302268913, "ZVZZT", 270200, 330200, 256700, 0),
            (6285, 34241583309197, "LTRY", 38200, 40100, 31200, 0),
            (9146, 34305956275196, "SHLT", 78800, 82700, 64400, 0),
            (11320, 34516303768822, "ZVZZT", 270200, 330200, 243200, 1),
        };
        var got = Messages("LULDAuctionCollar.pcap", expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var x = expected[i];
            Assert.Equal(DecodeStatus.Ok, ItchLuldAuctionCollar.TryRead(got[i].Message, out var v));
            Assert.Equal(x.Locate, v.Header.StockLocate);
            Assert.Equal(x.Ts, v.Header.Timestamp);
            Assert.Equal(x.Stock, S(v.Stock));
            Assert.Equal(x.Ref, v.ReferencePrice);
            Assert.Equal(x.Up, v.UpperPrice);
            Assert.Equal(x.Lo, v.LowerPrice);
            Assert.Equal(x.Ext, v.Extension);
            MarketEvent e = got[i].Event;
            Assert.Equal(EventKind.LuldCollar, e.Kind);
            Assert.Equal(x.Ref, e.Price);
            Assert.Equal(x.Up, e.Quantity);
            Assert.Equal((ulong)x.Lo, e.OrderId);
        }
    }

    [Fact]
    public void Multiple_messages_capture_delivers_38_messages_from_sequence_19009117_and_reports_the_gap_before_them()
    {
        List<Captured> packets = Read("MultipleMessages.pcap");
        Assert.Equal(2, packets.Count);
        Assert.Equal(1472, packets[1].Payload.Length);
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { MidnightEpochNs = Midnight });

        var first = ItchTestData.DecodeAll(decoder, packets[0].Payload, packets[0].ReceiveNs);
        Assert.Single(first);
        Assert.Equal(EventKind.OrderDelete, first[0].Kind);
        Assert.Equal(14_764_496UL, first[0].Sequence);
        Assert.Equal(23_485_802UL, first[0].OrderId);
        Assert.Equal(2737, first[0].Instrument);
        Assert.Equal("000010059B", S(decoder.Session.SessionId));
        Assert.False(decoder.Session.IsStale);

        var events = ItchTestData.DecodeAll(decoder, packets[1].Payload, packets[1].ReceiveNs);
        Assert.Equal(38, events.Count);
        // The two packets are 38 s apart in one session: everything between them is a gap, reported, not skipped.
        Assert.True(decoder.Session.IsStale);
        Assert.Equal(1, decoder.MoldCounters.GapPackets);
        Assert.Equal(19_009_117L - 14_764_497L, decoder.MoldCounters.GapMessages);
        Assert.True(decoder.Session.TryTakeGap(out MoldGap gap));
        Assert.Equal(14_764_497UL, gap.FirstMissing);
        Assert.Equal(19_009_117UL - 14_764_497UL, gap.Count);
        Assert.Equal(19_009_155UL, decoder.Session.NextExpected);

        var reader = new MoldPacketReader(packets[1].Payload);
        Assert.Equal(19_009_117UL, reader.Sequence);
        Assert.Equal(38, reader.Count);
        int index = 0;
        while (reader.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok)
        {
            MarketEvent e = events[index];
            Assert.Equal(19_009_117UL + (ulong)index, e.Sequence);
            Assert.Equal(6514, e.Instrument); // META
            Assert.Equal(Midnight + 34_238_952_381_153L, e.ExchangeTimestampNs);
            Assert.Equal(EventKind.AddOrder, e.Kind);
            Assert.Equal(EventFlags.BookStale | (index == 37 ? EventFlags.EndOfPacket : 0), e.Flags);
            Assert.Equal(DecodeStatus.Ok, ItchAddOrder.TryRead(m, out var v));
            Assert.Equal("META", S(v.Stock));
            Assert.Equal(v.OrderReference, e.OrderId);
            Assert.Equal(v.Price, e.Price);
            Assert.Equal((long)v.Shares, e.Quantity);
            Assert.Equal((Side)v.Side, e.Side);
            index++;
        }
        Assert.Equal(38, index);
        Assert.Equal(0, reader.Remaining);

        // Spot checks read by hand: the first, the two MPID-attributed ones and the last.
        Assert.Equal((7_942_047UL, Side.Buy, 1L, 805_200L), (events[0].OrderId, events[0].Side, events[0].Quantity, events[0].Price));
        Assert.Equal((9_752_743UL, Side.Buy, 5L, 801_100L), (events[8].OrderId, events[8].Side, events[8].Quantity, events[8].Price));
        Assert.Equal((10_250_271UL, Side.Sell, 112L, 3_578_900L), (events[13].OrderId, events[13].Side, events[13].Quantity, events[13].Price));
        Assert.Equal((5_325_319UL, Side.Sell, 1L, 3_580_000L), (events[37].OrderId, events[37].Side, events[37].Quantity, events[37].Price));
        Assert.Equal(36, decoder.Counters.Of('A'));
        Assert.Equal(2, decoder.Counters.Of('F'));
        Assert.Equal(1, decoder.Counters.Of('D'));
    }

    [Fact]
    public void Zeroed_sequence_captures_under_sequence_checking_deliver_the_first_packet_and_drop_the_rest_as_duplicates()
    {
        List<Captured> packets = Read("OrderDelete.pcap");
        var decoder = new ItchFeedDecoder();
        int delivered = 0;
        foreach (Captured p in packets) delivered += ItchTestData.DecodeAll(decoder, p.Payload).Count;
        // Session "\0 x10" is established at sequence 0; every later packet claims sequence 0 again.
        Assert.Equal(1, delivered);
        Assert.Equal(4, decoder.MoldCounters.DuplicatePackets);
        Assert.Equal(4, decoder.MoldCounters.DuplicateMessages);
        Assert.Equal(0, decoder.MoldCounters.GapMessages);
        Assert.Equal(1UL, decoder.Session.NextExpected);
    }
}
