using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;
using Wirespeed.Feeds.Fix.MarketData;
using Wirespeed.Tests.Core.Books;
using Wirespeed.Tests.Feeds.Fix.Orders;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix.MarketData;

/// <summary>FIX market data (V out; W, X, Y in) into price-level books and the same order-level event stream as ITCH.</summary>
public sealed class FixMarketDataTests
{
    private readonly LoopbackLink _link = new();
    private readonly FixSymbolTable _symbols = new(4);
    private readonly FixParser _parser = new(FixDictionary.Default);

    public FixMarketDataTests()
    {
        _symbols.Add(0, "EUR/USD");
        _symbols.Add(1, "MSFT");
        _symbols.Add(2, "ORCL");
    }

    private FixMarketData<LoopbackSession> Md(FixMarketDataOptions? options = null, int levels = 16) =>
        new(new LoopbackSession(_link), _symbols, new PriceLevelBookSet(4, levels), options);

    private bool Feed(FixMarketData<LoopbackSession> md, byte[] message, ref PriceLevelBookSetTests.Mirror mirror)
    {
        var s = _parser.Parse(message, out var v);
        Assert.True(s == FixStatus.Ok, $"{s} at tag {_parser.ErrorTag}: {Text(message)}");
        return md.OnMessage(v, 77, ref mirror);
    }

    private static string Px(long p) => $"{(p < 0 ? "-" : "")}{Math.Abs(p) / 10_000}.{Math.Abs(p) % 10_000:D4}";

    [Fact]
    public void A_subscription_is_a_V_for_one_symbol_with_bids_offers_and_trades()
    {
        var md = Md(new FixMarketDataOptions { MarketDepth = 5 });
        Assert.Equal(1, md.Subscribe(1));
        ulong id = md.MdReqId(1);
        Assert.Equal((1UL << 20) | 1, id);
        var expected = Msg($"35=V|49=WIRESPEED|56=MATCHER|34=1|52=20261207-23:30:00.123|262={id}|263=1|264=5|265=1|267=3|269=0|269=1|269=2|146=1|55=MSFT|");
        Assert.Equal(Text(expected), _link.LastText);
        Assert.Equal(FixStatus.Ok, _parser.Parse(_link.Sent[0], out var v));
        Assert.Equal(3, v.Group(267).Count);
        var noTrades = Md(new FixMarketDataOptions { Trades = false });
        Assert.Equal(3, noTrades.SubscribeAll());
        Assert.Contains("|267=2|269=0|269=1|146=1|55=EUR/USD|", Text(_link.Sent[1]));
        Assert.Equal(0, noTrades.Subscribe(3));               // no symbol
        Assert.Equal(1, noTrades.Counters.UnknownInstrument);
        _link.LoggedOn = false;
        Assert.Equal(0, noTrades.Subscribe(1));
        Assert.Equal((3L, 1L), (noTrades.Counters.RequestsSent, noTrades.Counters.RequestsNotSent));
    }

    [Fact]
    public void Snapshot_then_incremental_updates_build_the_book_and_the_order_book_follows()
    {
        var md = Md();
        var mirror = PriceLevelBookSetTests.NewMirror(4, 16);
        Assert.True(Feed(md, Body("W", "55=MSFT|83=10|268=3|269=0|270=100.00|271=500|269=1|270=100.05|271=300|269=1|270=100.10|271=200|"), ref mirror));
        Assert.Equal(11, md.ExpectedRptSeq(1));
        Assert.True(Feed(md, Body("X", "268=3|279=1|269=0|55=MSFT|83=11|270=100.00|271=400|279=0|269=0|55=MSFT|83=12|270=100.01|271=100|279=2|269=1|55=MSFT|83=13|270=100.05|"), ref mirror));
        var top = md.Books.GetTopOfBook(1);
        Assert.Equal((1_000_100L, 100L, 1_001_000L, 200L), (top.BidPrice, top.BidSize, top.AskPrice, top.AskSize));
        Assert.Equal(mirror.Books.Checksum(), md.Books.Checksum());
        Assert.All(mirror.Events, e => Assert.Equal((77L, 12UL), (e.ReceiveTimestampNs, e.Sequence)));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 23, 30, 0, 123, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000, mirror.Events[0].ExchangeTimestampNs);
        Assert.Equal((1L, 1L, 6L), (md.Counters.Snapshots, md.Counters.Incrementals, md.Counters.Entries));
    }

    [Fact]
    public void A_rptseq_gap_marks_the_book_stale_and_resubscribes_once_until_the_snapshot()
    {
        var md = Md();
        var mirror = PriceLevelBookSetTests.NewMirror(4, 16);
        Feed(md, Body("W", "55=ORCL|83=1|268=1|269=0|270=10|271=5|"), ref mirror);
        Feed(md, Body("X", "268=1|279=0|269=0|55=ORCL|83=2|270=11|271=5|"), ref mirror);
        Assert.Empty(_link.Sent);
        Feed(md, Body("X", "268=1|279=0|269=0|55=ORCL|83=5|270=12|271=5|"), ref mirror);      // 3 and 4 lost
        Assert.True(md.Books.IsStale(2));
        Assert.True(md.AwaitingSnapshot(2));
        Assert.Single(_link.Sent);
        Assert.Contains($"|262={md.MdReqId(2)}|263=1|", _link.LastText);
        Feed(md, Body("X", "268=1|279=0|269=0|55=ORCL|83=9|270=13|271=5|"), ref mirror);      // another gap: already asked
        Assert.Single(_link.Sent);
        Feed(md, Body("X", "268=1|279=0|269=0|55=ORCL|83=9|270=14|271=5|"), ref mirror);      // a repeat: skipped
        Assert.Equal(130_000, md.Books.GetTopOfBook(2).BidPrice);                           // 14 was not applied
        Feed(md, Body("W", "55=ORCL|83=20|268=1|269=0|270=15|271=5|"), ref mirror);
        Assert.False(md.Books.IsStale(2));
        Assert.False(md.AwaitingSnapshot(2));
        Assert.Equal(1, md.Books.LevelCount(2, Side.Buy));
        Assert.Equal((2L, 1L, 1L), (md.Counters.RptSeqGaps, md.Counters.RptSeqDuplicates, md.Counters.Resubscriptions));
        Assert.Equal(mirror.Books.Checksum(), md.Books.Checksum());
    }

    [Fact]
    public void A_request_reject_is_counted_by_reason_and_marks_the_book_stale()
    {
        var md = Md();
        var mirror = PriceLevelBookSetTests.NewMirror(4, 16);
        md.Subscribe(1);
        Assert.True(Feed(md, Body("Y", $"262={md.MdReqId(1)}|281=0|58=Unknown symbol|"), ref mirror));
        Assert.True(md.Books.IsStale(1));
        Assert.Equal(1, md.Counters.RejectReasons['0']);
        Feed(md, Body("Y", "262=999|"), ref mirror);                            // an id we never sent
        Feed(md, Body("Y", $"262={(5UL << 20) | 1}|281=5|"), ref mirror);        // an old generation
        Assert.Equal((3L, 2L, 1L), (md.Counters.RequestRejects, md.Counters.UnknownInstrument, md.Counters.RejectReasons[0]));
    }

    [Fact]
    public void Delete_thru_and_from_trades_and_entries_keyed_by_the_request()
    {
        var md = Md();
        var mirror = PriceLevelBookSetTests.NewMirror(4, 16);
        md.Subscribe(0);
        Feed(md, Body("W", "55=EUR/USD|268=4|269=1|270=1.1|271=1|269=1|270=1.2|271=1|269=1|270=1.3|271=1|269=1|270=1.4|271=1|"), ref mirror);
        Assert.Equal(0, md.ExpectedRptSeq(0));                                  // no RptSeq: no sequence checks
        Feed(md, Body("X", $"262={md.MdReqId(0)}|268=3|279=3|269=1|1023=1|279=4|269=1|290=2|279=0|269=2|270=1.25|271=700|"), ref mirror);
        Assert.Equal(1, md.Books.LevelCount(0, Side.Sell));
        Assert.Equal(12_000, md.Books.GetTopOfBook(0).AskPrice);
        var trade = mirror.Events[^1];
        Assert.Equal((EventKind.Trade, 12_500L, 700L, 0), (trade.Kind, trade.Price, trade.Quantity, trade.Instrument));
        Feed(md, Body("X", "268=2|279=2|269=2|55=EUR/USD|270=1.25|279=0|269=B|55=EUR/USD|270=9|"), ref mirror);   // trade withdrawn; closing price ignored
        Assert.Equal((1L, 1L), (md.Counters.Trades, md.Counters.IgnoredEntryTypes));
        Assert.Equal(mirror.Books.Checksum(), md.Books.Checksum());
    }

    [Fact]
    public void Top_only_depth_replaces_the_side_with_each_new_best()
    {
        var md = Md(new FixMarketDataOptions { MarketDepth = 1 });
        var mirror = PriceLevelBookSetTests.NewMirror(4, 16);
        Feed(md, Body("X", "268=2|279=1|269=0|55=MSFT|270=10|271=5|279=1|269=0|55=MSFT|270=11|271=6|"), ref mirror);
        Assert.Equal(1, md.Books.LevelCount(1, Side.Buy));
        Assert.Equal((110_000L, 6L), (md.Books.GetTopOfBook(1).BidPrice, md.Books.GetTopOfBook(1).BidSize));
        Assert.Equal(mirror.Books.Checksum(), md.Books.Checksum());
    }

    [Fact]
    public void Bad_entries_unknown_instruments_and_sizeless_quotes_are_counted()
    {
        var md = Md();
        var mirror = PriceLevelBookSetTests.NewMirror(4, 16);
        Feed(md, Body("W", "55=IBM|268=1|269=0|270=1|271=1|"), ref mirror);                    // unknown symbol
        Feed(md, Body("X", "268=6|279=0|269=0|55=IBM|270=1|271=1|" +                              // unknown symbol
                           "279=0|269=0|55=MSFT|271=1|" +                                          // no price
                           "279=0|269=0|55=MSFT|270=1|271=x|" +                                    // size not a number
                           "279=9|269=0|55=MSFT|270=1|271=1|" +                                    // no such action
                           "279=3|269=0|55=MSFT|" +                                                // delete thru without position
                           "279=0|269=0|55=MSFT|270=1|"), ref mirror);                             // no size
        Feed(md, Body("X", "268=3|279=0|269=0|55=MSFT|83=x|270=1|271=1|279=3|269=0|55=MSFT|1023=0|279=3|269=H|55=MSFT|1023=1|"), ref mirror);
        Feed(md, Body("X", $"262=12|268=1|279=0|269=0|270=1|271=1|"), ref mirror);              // no instrument at all, request unknown
        Assert.Equal((3L, 6L, 1L, 1L), (md.Counters.UnknownInstrument, md.Counters.Malformed, md.Counters.ZeroSize, md.Counters.IgnoredEntryTypes));
        Assert.Equal(0, md.Books.LevelCount(1, Side.Buy));
        Assert.False(Feed(md, Body("0", ""), ref mirror));
        var parser = new FixParser(new FixDictionary(new[] { new FixMessageDef("XX", Array.Empty<int>(), Array.Empty<int>()) }));
        Assert.Equal(FixStatus.Ok, parser.Parse(Msg($"35=XX|{Header44}"), out var two));
        Assert.False(md.OnMessage(two, 0, ref mirror));
    }

    [Fact]
    public void Options_and_capacities_are_checked_at_start_up()
    {
        Assert.Contains("MarketDepth", Assert.Throws<ArgumentException>(() => new FixMarketDataOptions { MarketDepth = -1 }.Validated()).Message);
        Assert.Contains("IndicativeSize", Assert.Throws<ArgumentException>(() => new FixMarketDataOptions { IndicativeSize = -1 }.Validated()).Message);
        Assert.Contains("MaxInstruments", Assert.Throws<ArgumentException>(() => new FixMarketData<LoopbackSession>(default, _symbols, new PriceLevelBookSet(2, 2))).Message);
        Assert.Throws<ArgumentNullException>(() => new FixMarketData<LoopbackSession>(default, null!, new PriceLevelBookSet(2, 2)));
        Assert.Throws<ArgumentNullException>(() => new FixMarketData<LoopbackSession>(default, _symbols, null!));
        Assert.Throws<ArgumentException>(() => _symbols.Add(3, "MSFT"));
        Assert.Throws<ArgumentException>(() => _symbols.Add(1, "IBM"));
        Assert.Throws<ArgumentException>(() => _symbols.Add(4, "IBM"));
        Assert.Throws<ArgumentException>(() => _symbols.Add(3, ""));
        Assert.Throws<ArgumentException>(() => new FixSymbolTable(0));
        Assert.Equal(-1, _symbols.Find(default));
        Assert.True(_symbols.Symbol(9).IsEmpty);
    }

    /// <summary>A jspurefix '|' log line as SOH bytes (their framing is off: see FixSampleFileTests).</summary>
    private static byte[] LogLine(string file)
    {
        var text = File.ReadAllBytes(SharedData.Path("fix/" + file));
        int end = text.Length;
        while (end > 0 && (text[end - 1] == (byte)'\n' || text[end - 1] == (byte)'\r')) end--;
        var m = text.AsSpan(0, end).ToArray();
        for (int i = 0; i < m.Length; i++) if (m[i] == (byte)'|') m[i] = FixFramer.Soh;
        return m;
    }

    [Fact]
    public void The_real_fix50sp2_samples_build_books_by_security_id()
    {
        var symbols = new FixSymbolTable(4);
        symbols.Add(0, "EURJPY10Y=TDS");
        symbols.Add(1, "EGPINR=TDS");
        var md = new FixMarketData<LoopbackSession>(new LoopbackSession(_link), symbols, new PriceLevelBookSet(4, 8), new FixMarketDataOptions { IndicativeSize = 1 });
        var mirror = PriceLevelBookSetTests.NewMirror(4, 8);
        var parser = new FixParser(FixDictionary.Default, new FixParserOptions { Checks = FixFramingChecks.None, UndefinedTags = FixUndefinedTagPolicy.Keep });
        Assert.Equal(FixStatus.Ok, parser.Parse(LogLine("FIX50SP2_md-data-snapshot_35W.txt"), out var w));
        Assert.True(md.OnMessage(w, 1, ref mirror));
        var top = md.Books.GetTopOfBook(0);
        Assert.Equal((-36_570_500L, 1L, -35_903_500L, 1L), (top.BidPrice, top.BidSize, top.AskPrice, top.AskSize));   // forward points, negative
        Assert.Equal(FixStatus.Ok, parser.Parse(LogLine("FIX50SP2_md-data-inc-snapshot_35X.txt"), out var x));
        Assert.True(md.OnMessage(x, 2, ref mirror));
        top = md.Books.GetTopOfBook(1);
        Assert.Equal((26_861L, 27_063L), (top.BidPrice, top.AskPrice));   // 2.686142 and 2.706302 at 4 decimals
        Assert.Equal(2, md.Counters.IgnoredEntryTypes);                   // the two 'H' mid prices
        Assert.Equal(mirror.Books.Checksum(), md.Books.Checksum());
        Assert.Equal(4, mirror.Books.LiveOrders);                         // one order per level
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_same_updates_fed_as_W_and_X_build_the_same_books_as_fed_directly(int seed)
    {
        var rng = new Random(seed);
        var direct = new PriceLevelBookSet(4, 12);
        var directMirror = PriceLevelBookSetTests.NewMirror(4, 12);
        var md = Md(levels: 12);
        var fixMirror = PriceLevelBookSetTests.NewMirror(4, 12);
        string[] names = { "EUR/USD", "MSFT", "ORCL" };
        var rpt = new long[3];
        var template = new MarketEvent();
        // A snapshot per instrument first, then incremental refreshes of 1..5 entries.
        for (int i = 0; i < 3; i++)
        {
            var sb = new StringBuilder($"55={names[i]}|83={rpt[i]}|268=2|");
            direct.BeginSnapshot();
            foreach (var (side, px) in new[] { (Side.Buy, 990_000L), (Side.Sell, 1_010_000L) })
            {
                sb.Append($"269={(side == Side.Buy ? 0 : 1)}|270={Px(px)}|271=100|");
                direct.Set(i, side, px, 100, template, ref directMirror);
            }
            direct.EndSnapshot(i, template, ref directMirror);
            Feed(md, Body("W", sb.ToString()), ref fixMirror);
        }
        for (int msg = 0; msg < 400; msg++)
        {
            int n = rng.Next(1, 6);
            var sb = new StringBuilder($"268={n}|");
            for (int e = 0; e < n; e++)
            {
                int i = rng.Next(3);
                Side side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                long px = (side == Side.Buy ? 990_000 : 1_010_000) + rng.Next(-8, 9) * 25;
                int action = rng.Next(4);   // 0 new, 1 change, 2 delete, 3 change to zero
                long size = action == 3 ? 0 : rng.Next(1, 50) * 10;
                string fixAction = action == 2 ? "2" : action == 0 ? "0" : "1";
                sb.Append($"279={fixAction}|269={(side == Side.Buy ? 0 : 1)}|55={names[i]}|83={++rpt[i]}|270={Px(px)}|");
                if (action == 2) direct.Delete(i, side, px, template, ref directMirror);
                else
                {
                    sb.Append($"271={size}|");
                    if (size == 0) { direct.Delete(i, side, px, template, ref directMirror); }
                    else direct.Set(i, side, px, size, template, ref directMirror);
                }
            }
            Feed(md, Body("X", sb.ToString()), ref fixMirror);
        }
        Assert.Equal(direct.Checksum(), md.Books.Checksum());
        Assert.Equal(directMirror.Books.Checksum(), fixMirror.Books.Checksum());
        Assert.Equal(direct.Checksum(), fixMirror.Books.Checksum());
        for (int i = 0; i < 3; i++) Assert.Equal(direct.GetTopOfBook(i), md.Books.GetTopOfBook(i));
        Assert.Equal(0, md.Counters.RptSeqGaps + md.Counters.Malformed + md.Counters.UnknownInstrument);
        Assert.True(fixMirror.Events.Count > 500);
    }
}
