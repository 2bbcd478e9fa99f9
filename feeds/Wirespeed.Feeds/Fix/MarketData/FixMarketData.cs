/*
 * FIX market data into the pipeline's books. Subscriptions go out as MarketDataRequest (V), one per instrument, with
 * an MDReqID that carries the instrument (generation << 20 | instrument), so a reject (Y) or an incremental entry
 * without an instrument of its own finds its book. Snapshots (W) and incremental refreshes (X) are applied to a
 * PriceLevelBookSet, which emits the order-level MarketEvents that the rest of the pipeline (book stage, breakers,
 * priority, patterns) already consumes for ITCH.
 *
 * Sequencing: each instrument's updates carry RptSeq (83), which must rise by one per update. Ahead of the next
 * expected value means updates were lost: the book is marked stale, the gap counted, and the instrument re-subscribed
 * (a new request, hence a new snapshot) unless a re-subscription is already waiting for its snapshot. Behind it is a
 * repeat: skipped and counted. The snapshot sets the expected value and clears the stale mark.
 *
 * Price-keyed books: MDUpdateAction New and Change set the size at MDEntryPx, Delete removes that price, Delete Thru
 * and Delete From remove by position (MDPriceLevel 1023, or MDEntryPositionNo 290). Feeds keyed by MDEntryID (278),
 * where a Change may move an entry to another price, are not price-level books: not handled here.
 *
 * Runs on the session thread; allocates nothing per message; never throws on content.
 */
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Fix.Application;

namespace Wirespeed.Feeds.Fix.MarketData;

/// <summary>Subscriptions and W/X/Y handling of one FIX market-data session. See the file-top comment.</summary>
public sealed class FixMarketData<TSession> where TSession : struct, IFixApplicationSession
{
    private const int InstrumentBits = 20;
    private const ulong InstrumentMask = (1UL << InstrumentBits) - 1;

    private TSession _session;
    private readonly FixSymbolTable _symbols;
    private readonly PriceLevelBookSet _books;
    private readonly FixMarketDataOptions _options;
    private readonly long[] _expected;        // next RptSeq per instrument; 0 = not known yet
    private readonly uint[] _generation;      // MDReqID generation per instrument
    private readonly bool[] _awaitingSnapshot;

    public FixMarketData(TSession session, FixSymbolTable symbols, PriceLevelBookSet books, FixMarketDataOptions? options = null)
    {
        _session = session;
        _symbols = symbols ?? throw new System.ArgumentNullException(nameof(symbols));
        _books = books ?? throw new System.ArgumentNullException(nameof(books));
        _options = (options ?? new FixMarketDataOptions()).Validated();
        if (books.MaxInstruments < symbols.MaxInstruments)
            throw new System.ArgumentException($"the books hold {books.MaxInstruments} instruments, the symbol table {symbols.MaxInstruments}: make book.MaxInstruments at least as large.", nameof(books));
        _expected = new long[symbols.MaxInstruments];
        _generation = new uint[symbols.MaxInstruments];
        _awaitingSnapshot = new bool[symbols.MaxInstruments];
    }

    public FixMarketDataCounters Counters { get; } = new();
    public PriceLevelBookSet Books => _books;

    /// <summary>Next RptSeq expected for <paramref name="instrument"/>; 0 before the first.</summary>
    public long ExpectedRptSeq(int instrument) => _expected[instrument];

    /// <summary>True from a re-subscription until its snapshot arrives.</summary>
    public bool AwaitingSnapshot(int instrument) => _awaitingSnapshot[instrument];

    /// <summary>The MDReqID of the instrument's current subscription.</summary>
    public ulong MdReqId(int instrument) => (ulong)_generation[instrument] << InstrumentBits | (uint)instrument;

    /// <summary>Sends a subscription for one instrument; returns its MsgSeqNum, or 0 when not sent (counted).</summary>
    public long Subscribe(int instrument)
    {
        byte[]? symbol = _symbols.SymbolArray(instrument);
        if (symbol is null) { Counters.UnknownInstrument++; return 0; }
        _generation[instrument]++;
        var request = new MarketDataRequest { MdReqId = MdReqId(instrument), Symbol = symbol, MarketDepth = _options.MarketDepth, Trades = _options.Trades };
        long seq = _session.Send(ref request);
        if (seq > 0) Counters.RequestsSent++;
        else Counters.RequestsNotSent++;
        return seq;
    }

    /// <summary>Subscribes every instrument of the symbol table (after logon). Returns the requests sent.</summary>
    public int SubscribeAll()
    {
        int sent = 0;
        for (int i = 0; i < _symbols.MaxInstruments; i++)
            if (_symbols.SymbolArray(i) is not null && Subscribe(i) > 0) sent++;
        return sent;
    }

    /// <summary>
    /// Handles W, X and Y, emitting the book events into <paramref name="emitter"/>; false for any other MsgType.
    /// <paramref name="receiveNs"/>: monotonic receive time, stamped on every event.
    /// </summary>
    public bool OnMessage<TEmitter>(in FixView v, long receiveNs, ref TEmitter emitter) where TEmitter : struct, IEventHandler
    {
        var type = v.MsgType;
        if (type.Length != 1) return false;
        switch (type[0])
        {
            case (byte)'W': Snapshot(in v, receiveNs, ref emitter); return true;
            case (byte)'X': Incremental(in v, receiveNs, ref emitter); return true;
            case (byte)'Y': RequestReject(in v); return true;
            default: return false;
        }
    }

    private MarketEvent Template(in FixView v, long receiveNs)
    {
        var t = new MarketEvent { ReceiveTimestampNs = receiveNs, LineId = _options.LineId, Instrument = -1 };
        if (v.TryGetInt(34, out long seq) == FixStatus.Ok) t.Sequence = (ulong)seq;
        if (v.TryGetTimestamp(52, out long sent) == FixStatus.Ok) t.ExchangeTimestampNs = sent;
        return t;
    }

    private void Snapshot<TEmitter>(in FixView v, long receiveNs, ref TEmitter emitter) where TEmitter : struct, IEventHandler
    {
        Counters.Snapshots++;
        int instrument = InstrumentOf(v.TryGet(55, out var sym) ? sym : default, v.TryGet(48, out var sec) ? sec : default, in v);
        if (instrument < 0) { Counters.UnknownInstrument++; return; }
        var template = Template(in v, receiveNs);
        var entries = v.Group(268);
        _books.BeginSnapshot();
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.TryGetChar(269, out byte entryType) != FixStatus.Ok) { Counters.Malformed++; continue; }
            Entry(instrument, entryType, (byte)'0', in e, in template, ref emitter);
        }
        _books.EndSnapshot(instrument, in template, ref emitter);
        _expected[instrument] = v.Has(83) && v.TryGetInt(83, out long rpt) == FixStatus.Ok ? rpt + 1 : 0;
        _awaitingSnapshot[instrument] = false;
    }

    private void Incremental<TEmitter>(in FixView v, long receiveNs, ref TEmitter emitter) where TEmitter : struct, IEventHandler
    {
        Counters.Incrementals++;
        var template = Template(in v, receiveNs);
        var entries = v.Group(268);
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            int instrument = InstrumentOf(e.TryGet(55, out var sym) ? sym : default, e.TryGet(48, out var sec) ? sec : default, in v);
            if (instrument < 0) { Counters.UnknownInstrument++; continue; }
            if (e.TryGetChar(279, out byte action) != FixStatus.Ok || e.TryGetChar(269, out byte entryType) != FixStatus.Ok) { Counters.Malformed++; continue; }
            if (e.Has(83))
            {
                if (e.TryGetInt(83, out long rpt) != FixStatus.Ok) { Counters.Malformed++; continue; }
                if (!InSequence(instrument, rpt)) continue;
            }
            Entry(instrument, entryType, action, in e, in template, ref emitter);
        }
    }

    /// <summary>False when the entry is a repeat (skip it). A gap is counted and re-subscribed, and the entry applied.</summary>
    private bool InSequence(int instrument, long rpt)
    {
        long expected = _expected[instrument];
        if (expected != 0 && rpt < expected)
        {
            Counters.RptSeqDuplicates++;
            return false;
        }
        if (expected != 0 && rpt > expected)
        {
            Counters.RptSeqGaps++;
            _books.MarkStale(instrument);
            if (!_awaitingSnapshot[instrument])
            {
                _awaitingSnapshot[instrument] = true;
                Counters.Resubscriptions++;
                Subscribe(instrument);
            }
        }
        _expected[instrument] = rpt + 1;
        return true;
    }

    private void Entry<TEmitter>(int instrument, byte entryType, byte action, in FixEntry e, in MarketEvent template, ref TEmitter emitter)
        where TEmitter : struct, IEventHandler
    {
        Side side = entryType == (byte)'0' ? Side.Buy : entryType == (byte)'1' ? Side.Sell : Side.None;
        if (side == Side.None && entryType != (byte)'2') { Counters.IgnoredEntryTypes++; return; }
        if (action is (byte)'3' or (byte)'4')
        {
            if (side == Side.None) { Counters.IgnoredEntryTypes++; return; }
            if (Position(in e, out int position) != FixStatus.Ok) { Counters.Malformed++; return; }
            _books.DeleteLevels(instrument, side, position, fromPosition: action == (byte)'4', in template, ref emitter);
            Counters.Entries++;
            return;
        }
        if (e.TryGetFixed(270, 4, out long price) != FixStatus.Ok) { Counters.Malformed++; return; }
        long size = 0;
        bool hasSize = e.Has(271);
        if (hasSize && e.TryGetFixed(271, 0, out size) != FixStatus.Ok) { Counters.Malformed++; return; }
        if (side == Side.None)
        {
            if (action == (byte)'2') return;                     // a trade withdrawn: nothing in the books to undo
            var trade = template;
            trade.Kind = EventKind.Trade;
            trade.Instrument = instrument;
            trade.Price = price;
            trade.Quantity = size;
            trade.Side = Side.None;
            emitter.OnEvent(ref trade);
            Counters.Trades++;
            return;
        }
        if (action == (byte)'2')
        {
            _books.Delete(instrument, side, price, in template, ref emitter);
            Counters.Entries++;
            return;
        }
        if (action is not ((byte)'0' or (byte)'1' or (byte)'5')) { Counters.Malformed++; return; }
        if (size == 0)
        {
            // Indicative quotes carry no size (or 0): given one by configuration. Otherwise a stated size of 0 empties
            // the level, and an entry without a size cannot be placed.
            if (_options.IndicativeSize > 0) size = _options.IndicativeSize;
            else if (!hasSize) { Counters.ZeroSize++; return; }
        }
        _books.Set(instrument, side, price, size, in template, ref emitter);
        if (_options.MarketDepth == 1) _books.KeepOnly(instrument, side, price, in template, ref emitter);
        Counters.Entries++;
    }

    private static FixStatus Position(in FixEntry e, out int position)
    {
        position = 0;
        long p;
        var s = e.Has(1023) ? e.TryGetInt(1023, out p) : e.TryGetInt(290, out p);
        if (s != FixStatus.Ok) return s;
        if (p < 1 || p > int.MaxValue) return FixStatus.ValueIncorrect;
        position = (int)p;
        return FixStatus.Ok;
    }

    private void RequestReject(in FixView v)
    {
        Counters.RequestRejects++;
        byte reason = v.TryGetChar(281, out byte r) == FixStatus.Ok && r < 128 ? r : (byte)0;
        Counters.RejectReasons[reason]++;
        int instrument = FromMdReqId(in v);
        if (instrument < 0) { Counters.UnknownInstrument++; return; }
        _books.MarkStale(instrument);
        _awaitingSnapshot[instrument] = false;
    }

    /// <summary>The instrument of a message or entry: its Symbol, else its SecurityID, else the message's MDReqID.</summary>
    private int InstrumentOf(System.ReadOnlySpan<byte> symbol, System.ReadOnlySpan<byte> securityId, in FixView v)
    {
        int id = _symbols.Find(symbol);
        if (id < 0) id = _symbols.Find(securityId);
        if (id < 0 && symbol.IsEmpty && securityId.IsEmpty) id = FromMdReqId(in v);
        return id;
    }

    private int FromMdReqId(in FixView v)
    {
        if (!v.TryGet(262, out var req) || FixValue.TryInt(req, out long n) != FixStatus.Ok || n <= 0) return -1;
        ulong id = (ulong)n;
        int instrument = (int)(id & InstrumentMask);
        return instrument < _expected.Length && id >> InstrumentBits == _generation[instrument] ? instrument : -1;
    }
}
