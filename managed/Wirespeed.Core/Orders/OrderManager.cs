/*
 * The order side of one session: order slots, the state machine, pre-trade risk, the kill switch and
 * cancel-on-disconnect. It runs on the session thread only (requests arrive through a ring from the hot path, answers
 * from the session's receive path on the same thread), so it needs no synchronisation; the kill switch and the
 * breakers' cancel-all request are the only things other threads touch, and they are flags read here.
 *
 * Slots are preallocated and handed out first-in first-out, so a finished order's record stays readable (and its late
 * answers recognisable as stale) for as long as possible before the slot is reused. Client order ids carry the slot
 * (ClientOrderId), so an answer finds its order with a mask. Requests are remembered by transport sequence number in
 * a small ring, so a session-level reject (which names only RefSeqNum) finds its order too.
 *
 * Nothing here allocates after construction, throws on wire data or blocks.
 */
using System;
using Wirespeed.Core.Events;
using Wirespeed.Core.Rings;

namespace Wirespeed.Core.Orders;

/// <summary>Orders of one session, driven by requests and the counterparty's answers. See the file-top comment.</summary>
/// <remarks>Partial files: this one holds slots and requests; .Reports the answers; .Safety the kill switch and
/// cancel-on-disconnect.</remarks>
public sealed partial class OrderManager<TGateway> where TGateway : struct, IOrderGateway
{
    private const int SentRingSize = 4096;   // requests remembered for RefSeqNum matching: far more than are ever unanswered

    private struct SentRequest
    {
        public long Sequence;
        public ulong Id;
        public int Slot;
        public OrderRequestKind Kind;
    }

    private TGateway _gateway;
    private PreTradeRisk _risk;
    private readonly OrderRecord[] _orders;
    private readonly int[] _free;           // FIFO of free slots
    private int _freeHead;
    private int _freeCount;
    private readonly int[] _openOrders;     // per instrument: working orders
    private readonly long[] _position;      // per instrument: signed filled quantity
    private readonly long[] _workingBuy;    // per instrument: leaves quantity of working buys
    private readonly long[] _workingSell;
    private readonly SentRequest[] _sent = new SentRequest[SentRingSize];
    private ulong _requestNumber;
    private readonly KillSwitch _kill;
    private readonly CancelAllRequest _cancelAll;
    private long _killServed;
    private long _cancelAllServed;
    private bool _wasUp;

    /// <param name="gateway">The encoder and session the requests go to.</param>
    /// <param name="limits">Risk limits and capacities; validated here (a bad value throws naming the field).</param>
    /// <param name="kill">The kill switch this manager obeys; a new one when null.</param>
    /// <param name="cancelAll">Cancel-all requests from the breakers; a new one when null.</param>
    public OrderManager(TGateway gateway, RiskLimits limits, KillSwitch? kill = null, CancelAllRequest? cancelAll = null)
    {
        if (limits is null) ThrowHelper.ArgumentNull(nameof(limits));
        _gateway = gateway;
        _risk = new PreTradeRisk(limits);
        _orders = new OrderRecord[limits.OrderSlots];
        _free = new int[limits.OrderSlots];
        for (int i = 0; i < _free.Length; i++) _free[i] = i;
        _freeCount = _free.Length;
        _openOrders = new int[limits.MaxInstruments];
        _position = new long[limits.MaxInstruments];
        _workingBuy = new long[limits.MaxInstruments];
        _workingSell = new long[limits.MaxInstruments];
        _kill = kill ?? new KillSwitch();
        _cancelAll = cancelAll ?? new CancelAllRequest();
        _killServed = _kill.Epoch;
        _cancelAllServed = _cancelAll.Requested;
        _wasUp = gateway.IsUp;
    }

    public OrderCounters Counters { get; } = new();
    public KillSwitch Kill => _kill;
    public CancelAllRequest CancelAllRequests => _cancelAll;
    public RiskLimits Limits => _risk.Limits;
    public ref TGateway Gateway => ref _gateway;
    /// <summary>Slot of the order the last successful <see cref="Submit"/> created; -1 before.</summary>
    public int LastSlot { get; private set; } = -1;
    /// <summary>Order slots not in use.</summary>
    public int FreeSlots => _freeCount;

    /// <summary>A copy of slot <paramref name="slot"/>'s record.</summary>
    public OrderRecord Order(int slot) => _orders[slot];

    public int OpenOrders(int instrument) => (uint)instrument < (uint)_openOrders.Length ? _openOrders[instrument] : 0;
    public long Position(int instrument) => (uint)instrument < (uint)_position.Length ? _position[instrument] : 0;
    public long WorkingQuantity(int instrument, Side side) =>
        (uint)instrument >= (uint)_position.Length ? 0 : side == Side.Buy ? _workingBuy[instrument] : _workingSell[instrument];

    /// <summary>
    /// Checks and sends one new order at monotonic time <paramref name="nowNs"/>. Returns <see cref="RiskReject.None"/>
    /// when it left (then <see cref="LastSlot"/> is its slot), or why it did not (counted in <see cref="OrderCounters.Blocked"/>).
    /// </summary>
    public RiskReject Submit(in OrderRequest request, long nowNs)
    {
        Counters.Submitted++;
        ServeFlags();
        if (_kill.IsPulled) return Block(RiskReject.KillSwitch);
        int instrument = request.Instrument;
        if ((uint)instrument >= (uint)_openOrders.Length || (request.Side != Side.Buy && request.Side != Side.Sell)
            || (request.Type != OrderType.Limit && request.Type != OrderType.Market))
            return Block(RiskReject.InvalidOrder);
        if (!_gateway.IsUp) return Block(RiskReject.SessionDown);
        if (_freeCount == 0) return Block(RiskReject.NoFreeSlot);
        var reject = _risk.Check(request.Side, request.Type, request.Quantity, request.Price, request.ReferenceBid, request.ReferenceAsk,
            _openOrders[instrument], _position[instrument], Working(instrument, request.Side), isReplace: false, nowNs);
        if (reject != RiskReject.None) return Block(reject);

        int slot = TakeSlot();
        ref OrderRecord o = ref _orders[slot];
        o = default;
        o.ClientId = NextId(slot);
        o.Instrument = instrument;
        o.Side = request.Side;
        o.Type = request.Type;
        o.TimeInForce = request.TimeInForce;
        o.Quantity = request.Quantity;
        o.Price = request.Type == OrderType.Market ? 0 : request.Price;
        o.LeavesQty = request.Quantity;
        o.PatternId = request.PatternId;
        o.SignalTimestampNs = request.SignalTimestampNs;
        o.State = OrderState.PendingNew;
        o.Outstanding = OrderRequestKind.New;
        _openOrders[instrument]++;
        SetWorking(ref o, o.LeavesQty);

        long seq = _gateway.SendNew(in o);
        if (seq < 1)
        {
            Close(ref o, OrderState.Rejected);
            FreeSlot(slot);
            return Block(RiskReject.SendFailed);
        }
        Remember(seq, o.ClientId, slot, OrderRequestKind.New);
        o.RequestSequence = seq;
        Counters.Sent++;
        LastSlot = slot;
        return RiskReject.None;
    }

    /// <summary>Asks the counterparty to cancel the order in <paramref name="slot"/>. Cancels pass the kill switch
    /// (they reduce risk) but need the session.</summary>
    public RiskReject Cancel(int slot)
    {
        if ((uint)slot >= (uint)_orders.Length) return Block(RiskReject.InvalidOrder);
        ref OrderRecord o = ref _orders[slot];
        if (o.State is not (OrderState.PendingNew or OrderState.New or OrderState.PartiallyFilled)) return Block(RiskReject.NotWorking);
        if (!_gateway.IsUp) return Block(RiskReject.SessionDown);
        return SendCancel(ref o, slot) ? RiskReject.None : Block(RiskReject.SendFailed);
    }

    /// <summary>Asks for a new total quantity and price of a working order; checked like a new order.</summary>
    public RiskReject Replace(int slot, long quantity, long price, long refBid, long refAsk, long nowNs)
    {
        if ((uint)slot >= (uint)_orders.Length) return Block(RiskReject.InvalidOrder);
        ref OrderRecord o = ref _orders[slot];
        if (o.State is not (OrderState.New or OrderState.PartiallyFilled)) return Block(RiskReject.NotWorking);
        ServeFlags();
        if (_kill.IsPulled) return Block(RiskReject.KillSwitch);
        if (!_gateway.IsUp) return Block(RiskReject.SessionDown);
        if (quantity <= o.CumQty) return Block(RiskReject.InvalidOrder);
        long workingOthers = Working(o.Instrument, o.Side) - o.Working;
        var reject = _risk.Check(o.Side, o.Type, quantity - o.CumQty, price, refBid, refAsk,
            _openOrders[o.Instrument], _position[o.Instrument], workingOthers, isReplace: true, nowNs);
        if (reject != RiskReject.None) return Block(reject);

        ulong id = NextId(slot);
        long seq = _gateway.SendReplace(in o, id, quantity, price);
        if (seq < 1) return Block(RiskReject.SendFailed);
        o.PendingId = id;
        o.PendingQuantity = quantity;
        o.PendingPrice = price;
        o.PriorState = o.State;
        o.State = OrderState.PendingReplace;
        o.Outstanding = OrderRequestKind.Replace;
        o.RequestSequence = seq;
        Remember(seq, id, slot, OrderRequestKind.Replace);
        Counters.ReplacesSent++;
        return RiskReject.None;
    }

    /// <summary>Drains up to <paramref name="limit"/> requests from the strategy adapter's ring and submits each.</summary>
    public int Drain(SpscRing<OrderRequest> ring, int limit, long nowNs)
    {
        var handler = new SubmitHandler(this, nowNs);
        return ring.Poll(ref handler, limit);
    }

    private struct SubmitHandler : IRingHandler<OrderRequest>
    {
        private readonly OrderManager<TGateway> _manager;
        private readonly long _nowNs;

        public SubmitHandler(OrderManager<TGateway> manager, long nowNs)
        {
            _manager = manager;
            _nowNs = nowNs;
        }

        public void OnItem(ref OrderRequest item) => _manager.Submit(in item, _nowNs);
    }

    private bool SendCancel(ref OrderRecord o, int slot)
    {
        ulong id = NextId(slot);
        long seq = _gateway.SendCancel(in o, id);
        if (seq < 1) return false;
        o.PendingId = id;
        if (o.State != OrderState.PendingCancel) o.PriorState = o.State;
        o.State = OrderState.PendingCancel;
        o.Outstanding = OrderRequestKind.Cancel;
        o.RequestSequence = seq;
        Remember(seq, id, slot, OrderRequestKind.Cancel);
        Counters.CancelsSent++;
        return true;
    }

    private RiskReject Block(RiskReject reason)
    {
        Counters.Blocked[(int)reason]++;
        return reason;
    }

    private ulong NextId(int slot) => ClientOrderId.Make(++_requestNumber, slot);

    private long Working(int instrument, Side side) => side == Side.Buy ? _workingBuy[instrument] : _workingSell[instrument];

    private void SetWorking(ref OrderRecord o, long leaves)
    {
        if (leaves < 0) leaves = 0;
        if (o.Side == Side.Buy) _workingBuy[o.Instrument] += leaves - o.Working;
        else _workingSell[o.Instrument] += leaves - o.Working;
        o.Working = leaves;
    }

    /// <summary>Moves a working order to a terminal state and takes it out of the instrument's exposure.</summary>
    private void Close(ref OrderRecord o, OrderState terminal)
    {
        SetWorking(ref o, 0);
        _openOrders[o.Instrument]--;
        o.State = terminal;
        o.Outstanding = OrderRequestKind.None;
        o.PendingId = 0;
        o.DisconnectCancel = false;
    }

    private int TakeSlot()
    {
        int slot = _free[_freeHead];
        _freeHead = _freeHead + 1 == _free.Length ? 0 : _freeHead + 1;
        _freeCount--;
        return slot;
    }

    private void FreeSlot(int slot)
    {
        int tail = _freeHead + _freeCount;
        if (tail >= _free.Length) tail -= _free.Length;
        _free[tail] = slot;
        _freeCount++;
    }

    private void Remember(long seq, ulong id, int slot, OrderRequestKind kind)
    {
        ref SentRequest s = ref _sent[(int)(seq & (SentRingSize - 1))];
        s.Sequence = seq;
        s.Id = id;
        s.Slot = slot;
        s.Kind = kind;
    }
}
