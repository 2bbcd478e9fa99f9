using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Orders;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;
using Wirespeed.Feeds.Fix.MarketData;
using Wirespeed.Feeds.Fix.Orders;
using Wirespeed.Feeds.Sim;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix.Orders;

/// <summary>
/// The whole application side over the seam, as a session drives it: logon subscribes, market data builds the book the
/// strategy prices from, a signal becomes an order through the ring, answers come back, and allocation stays at zero.
/// </summary>
public sealed class FixApplicationRouterTests : IDisposable
{
    private readonly MemoryRegistry _registry = new(0);
    private readonly Arena _arena;
    private readonly LoopbackLink _link = new();
    private readonly FixSymbolTable _symbols = new(4);
    private readonly FixParser _parser = new(FixDictionary.Default);

    public FixApplicationRouterTests()
    {
        _arena = Arena.Create("arena.router", new ArenaOptions { SizeBytes = 1 << 16, HugePages = false, Lock = false }, _registry);
        _symbols.Add(1, "MSFT");
    }

    public void Dispose() => _arena.Dispose();

    /// <summary>The strategy's view of the book: the price-level set the market data fills (same thread in this test).</summary>
    private readonly struct LevelPrices : IReferencePrices
    {
        private readonly PriceLevelBookSet _books;
        public LevelPrices(PriceLevelBookSet books) => _books = books;

        public bool TryGetTop(int instrument, out long bid, out long ask)
        {
            var top = _books.GetTopOfBook(instrument);
            (bid, ask) = (top.BidPrice, top.AskPrice);
            return (bid | ask) != 0 && !_books.IsStale(instrument);
        }
    }

    private static readonly RiskLimits Limits = new() { OrdersPerSecond = 1_000_000, OrderBurst = 1_000_000, OrderSlots = 16, MaxInstruments = 4 };

    private void Deliver(FixApplicationRouter<LoopbackSession, BookApplyHandler> router, byte[] message)
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(message, out var v));
        router.OnApplicationMessage(v, 5);
    }

    [Fact]
    public void Logon_subscribes_market_data_builds_the_book_and_a_signal_goes_out_as_an_order_and_fills()
    {
        var matcher = new FixOrderMatcher { Default = MatchBehaviour.Fill };
        _link.Counterparty = matcher;
        var session = new LoopbackSession(_link);
        var levels = new PriceLevelBookSet(4, 8);
        var book = new OrderBookSet(new BookOptions { MaxInstruments = 4, MaxLiveOrders = 64, MaxLevelsPerSide = 8 });
        var md = new FixMarketData<LoopbackSession>(session, _symbols, levels);
        var flow = new FixOrderFlow<LoopbackSession>(new FixOrderGateway<LoopbackSession>(session, _symbols, "WS"), Limits);
        var ring = RingFactory.CreateSpsc<OrderRequest>(_arena, "ring.orders", 8, _registry, out _);
        var router = new FixApplicationRouter<LoopbackSession, BookApplyHandler>(flow, md, new BookApplyHandler(book), ring);

        router.OnSessionUp();
        Assert.Contains("35=V|", Text(_link.Sent[0]));
        Deliver(router, Body("W", "55=MSFT|268=2|269=0|270=99.99|271=500|269=1|270=100.01|271=400|"));
        Assert.Equal(levels.Checksum(), book.Checksum());
        Assert.Equal(2, router.Emitter.Events);

        var adapter = new StrategyAdapter<LevelPrices>(new[] { new OrderMapping { Quantity = 50, Reference = PriceReference.Cross } }, ring, new LevelPrices(levels));
        adapter.OnSignal(new Signal { PatternId = 0, Instrument = 1, Direction = 1 });
        Assert.Equal(1, router.DoWork(0));
        Assert.Contains("|55=MSFT|54=1|", Text(_link.Sent[^1]));
        Assert.Contains("|44=100.01|", Text(_link.Sent[^1]));
        while (matcher.Outbox.TryDequeue(out var answer)) Deliver(router, answer);
        Assert.Equal(OrderState.Filled, flow.Manager.Order(flow.Manager.LastSlot).State);
        Assert.Equal(50, flow.Manager.Position(1));

        Deliver(router, Body("0", ""));
        Assert.Equal(1, router.Unhandled);
        _link.LoggedOn = false;
        router.OnSessionDown();
        Assert.Equal(0, router.DoWork(0));
    }

    [Fact]
    public void A_router_without_parts_counts_everything_as_unhandled()
    {
        var router = new FixApplicationRouter<LoopbackSession, BookApplyHandler>(null, null, default);
        Deliver(router, Body("X", "268=0|"));
        router.OnSessionUp();
        router.OnSessionDown();
        Assert.Equal(0, router.DoWork(0));
        Assert.Equal(1, router.Unhandled);
    }

    /// <summary>A session that encodes into one buffer and keeps nothing: what a real one costs the application.</summary>
    private readonly struct BufferSession : IFixApplicationSession
    {
        private readonly byte[] _buffer;
        private readonly long[] _seq;
        private readonly FixApplicationEncoder _encoder;

        public BufferSession(byte[] buffer, long[] seq, FixApplicationEncoder encoder) { _buffer = buffer; _seq = seq; _encoder = encoder; }
        public bool IsLoggedOn => true;

        public long Send<TMessage>(ref TMessage message) where TMessage : struct, IFixApplicationMessage
            => _encoder.Encode(_buffer, ref message, ++_seq[0], LoopbackLink.SendingTimeNs, out _) == FixStatus.Ok ? _seq[0] : 0;
    }

    private struct Exec : IFixApplicationMessage
    {
        public byte[] Id;
        public int IdLength;
        public byte Type, Status;
        public long Cum, Leaves;

        public readonly ReadOnlySpan<byte> MsgType => "8"u8;

        public readonly void WriteBody(ref FixWriter w)
        {
            w.Int(37, 1);
            w.Bytes(11, Id.AsSpan(0, IdLength));
            w.Int(17, 1);
            w.Char(150, Type);
            w.Char(39, Status);
            w.Char(54, (byte)'1');
            w.Int(151, Leaves);
            w.Int(14, Cum);
            w.Int(6, 0);
        }
    }

    [Fact]
    public void Signal_to_order_to_fill_and_market_data_allocate_nothing_once_warm()
    {
        var encoder = new FixApplicationEncoder("FIX.4.4", "WS", "EX");
        var session = new BufferSession(new byte[1024], new long[1], encoder);
        var levels = new PriceLevelBookSet(4, 8);
        var book = new OrderBookSet(new BookOptions { MaxInstruments = 4, MaxLiveOrders = 64, MaxLevelsPerSide = 8 });
        var md = new FixMarketData<BufferSession>(session, _symbols, levels);
        var flow = new FixOrderFlow<BufferSession>(new FixOrderGateway<BufferSession>(session, _symbols, "WS") { FixedClockNs = 1 }, Limits);
        var ring = RingFactory.CreateSpsc<OrderRequest>(_arena, "ring.alloc", 8, _registry, out _);
        var router = new FixApplicationRouter<BufferSession, BookApplyHandler>(flow, md, new BookApplyHandler(book), ring);
        var adapter = new StrategyAdapter<LevelPrices>(new[] { new OrderMapping { Quantity = 10 } }, ring, new LevelPrices(levels));
        byte[] x1 = Body("X", "268=2|279=0|269=0|55=MSFT|270=99.99|271=500|279=0|269=1|55=MSFT|270=100.01|271=400|");
        byte[] x2 = Body("X", "268=2|279=1|269=0|55=MSFT|270=99.99|271=300|279=1|269=1|55=MSFT|270=100.01|271=600|");
        var inbound = new byte[1024];
        var id = new byte[32];
        var signal = new Signal { PatternId = 0, Instrument = 1, Direction = 1 };

        void Answer(byte type, byte status, long cum, long leaves)
        {
            var m = flow.Manager.Order(flow.Manager.LastSlot);
            "WS"u8.CopyTo(id);
            System.Buffers.Text.Utf8Formatter.TryFormat(m.ClientId, id.AsSpan(2), out int n);
            var e = new Exec { Id = id, IdLength = 2 + n, Type = type, Status = status, Cum = cum, Leaves = leaves };
            encoder.Encode(inbound, ref e, 1, 1, out int length);
            if (_parser.Parse(inbound.AsSpan(0, length), out var v) != FixStatus.Ok) throw new InvalidOperationException("answer did not parse");   // no Assert in the measured loop: it allocates
            router.OnApplicationMessage(v, 0);
        }

        void Round(int i)
        {
            if (_parser.Parse(i % 2 == 0 ? x1 : x2, out var v) != FixStatus.Ok) throw new InvalidOperationException("market data did not parse");
            router.OnApplicationMessage(v, 0);
            adapter.OnSignal(signal);
            router.DoWork(0);
            Answer((byte)'0', (byte)'0', 0, 10);
            Answer((byte)'F', (byte)'2', 10, 0);
        }

        for (int i = 0; i < 100; i++) Round(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Round(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1100, flow.Manager.Counters.Filled);
        Assert.Equal(0, flow.Manager.Counters.IllegalTransitions + flow.Manager.Counters.UnknownOrder);
        Assert.Equal(levels.Checksum(), book.Checksum());
    }
}
