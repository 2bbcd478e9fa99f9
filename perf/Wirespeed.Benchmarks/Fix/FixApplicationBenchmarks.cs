using System;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;
using Wirespeed.Feeds.Fix.MarketData;
using Wirespeed.Feeds.Fix.Orders;

namespace Wirespeed.Benchmarks.Fix;

/// <summary>
/// The FIX application side without a transport. <see cref="SubmitToBytes"/>: one order request through the pre-trade
/// checks, the state machine and the NewOrderSingle encoder (header, body, BodyLength, CheckSum) into the session's
/// buffer, then its fill applied (so slots cycle). <see cref="IncrementalToEvents"/>: one 35=X with 4 MDEntries parsed,
/// sequenced and applied to the price-level books, emitting the order-level events. Allocation must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class FixApplicationBenchmarks
{
    private readonly struct BufferSession : IFixApplicationSession
    {
        private readonly byte[] _buffer;
        private readonly long[] _seq;
        private readonly FixApplicationEncoder _encoder;

        public BufferSession(byte[] buffer, long[] seq, FixApplicationEncoder encoder) { _buffer = buffer; _seq = seq; _encoder = encoder; }
        public bool IsLoggedOn => true;

        public long Send<TMessage>(ref TMessage message) where TMessage : struct, IFixApplicationMessage
            => _encoder.Encode(_buffer, ref message, ++_seq[0], 1_765_150_000_000_000_000L, out _) == FixStatus.Ok ? _seq[0] : 0;
    }

    private struct CountingEmitter : IEventHandler
    {
        public long Events;
        public void OnEvent(ref MarketEvent evt) => Events += evt.Quantity;
    }

    private OrderManager<FixOrderGateway<BufferSession>> _orders = null!;
    private FixMarketData<BufferSession> _md = null!;
    private readonly FixParser _parser = new(FixDictionary.Default);
    private byte[][] _incrementals = Array.Empty<byte[]>();
    private CountingEmitter _emitter;
    private OrderRequest _request;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new FixSymbolTable(4);
        symbols.Add(1, "ESZ6");
        var session = new BufferSession(new byte[1024], new long[1], new FixApplicationEncoder("FIXT.1.1", "WIRESPEED", "VENUE"));
        var limits = new RiskLimits { OrdersPerSecond = 1_000_000_000, OrderBurst = 1_000_000_000, OrderSlots = 64, MaxInstruments = 4 };
        _orders = new OrderManager<FixOrderGateway<BufferSession>>(new FixOrderGateway<BufferSession>(session, symbols, "WS") { FixedClockNs = 1_765_150_000_000_000_000L }, limits);
        _request = new OrderRequest
        {
            Instrument = 1, Side = Side.Buy, Type = OrderType.Limit, TimeInForce = TimeInForce.ImmediateOrCancel, Quantity = 10,
            Price = 60_122_500, ReferenceBid = 60_120_000, ReferenceAsk = 60_125_000,
        };
        _md = new FixMarketData<BufferSession>(session, symbols, new PriceLevelBookSet(4, 64));
        _incrementals = new byte[2][];
        var buffer = new byte[4096];
        for (int m = 0; m < 2; m++)
        {
            var w = new FixWriter(buffer, "FIXT.1.1"u8, "X"u8);
            w.Bytes(49, "VENUE"u8);
            w.Bytes(56, "WIRESPEED"u8);
            w.Int(34, 100 + m);
            w.Timestamp(52, 1_765_150_000_000_000_000L, FixTimePrecision.Microseconds);
            w.Int(268, 4);
            for (int e = 0; e < 4; e++)
            {
                w.Char(279, (byte)'1');
                w.Char(269, (byte)('0' + e % 2));
                w.Bytes(55, "ESZ6"u8);
                w.Fixed(270, 60_122_500 + (e % 2 == 0 ? -e : e) * 2500, 4);
                w.Int(271, 10 + e + m * 5);   // sizes alternate between the two messages: every entry changes a level
            }
            if (w.Finish(out int n) != FixStatus.Ok) throw new InvalidOperationException("benchmark message did not encode");
            _incrementals[m] = buffer.AsSpan(0, n).ToArray();
        }
    }

    [Benchmark]
    public long SubmitToBytes()
    {
        _request.Side = (_next++ & 1) == 0 ? Side.Buy : Side.Sell;   // alternate, so the position stays inside its limit
        var reject = _orders.Submit(in _request, 0);
        if (reject != RiskReject.None) throw new InvalidOperationException($"refused: {reject}");
        var fill = new ExecutionReport { ClientId = _orders.Order(_orders.LastSlot).ClientId, Kind = ExecKind.Trade, CumQty = 10, LeavesQty = 0, LastQty = 10 };
        return _orders.OnExecution(in fill);
    }

    [Benchmark]
    public long IncrementalToEvents()
    {
        if (_parser.Parse(_incrementals[_next++ & 1], out var v) != FixStatus.Ok) throw new InvalidOperationException("did not parse");
        _md.OnMessage(in v, 0, ref _emitter);
        return _emitter.Events;
    }
}
