using Wirespeed.Core.Events;

namespace Wirespeed.Core.Orders;

// Answers from the counterparty: execution reports, cancel rejects, session and business rejects (session thread).
public sealed partial class OrderManager<TGateway>
{
    /// <summary>
    /// Applies one execution report. Returns the order's slot, or -1 when it named no order of ours (counted). A report
    /// that the state machine has no transition for is counted as illegal and changes nothing.
    /// </summary>
    public int OnExecution(in ExecutionReport r)
    {
        int slot = Find(r.ClientId, r.OrigClientId);
        if (slot < 0) return -1;
        ref OrderRecord o = ref _orders[slot];
        OrderState s = o.State;
        switch (r.Kind)
        {
            case ExecKind.PendingNew:
                if (s != OrderState.PendingNew) return Illegal(slot);
                break;
            case ExecKind.New:
                if (s != OrderState.PendingNew) return Illegal(slot);
                o.State = OrderState.New;
                o.Outstanding = OrderRequestKind.None;
                Counters.Acknowledged++;
                break;
            case ExecKind.Rejected:
                if (s != OrderState.PendingNew) return Illegal(slot);
                Close(ref o, OrderState.Rejected);
                FreeSlot(slot);
                Counters.Rejected++;
                break;
            case ExecKind.Trade:
                return Trade(ref o, slot, in r);
            case ExecKind.Canceled:
                if (!s.IsWorking()) return Illegal(slot);
                TakeUnseenFill(ref o, r.CumQty);
                Close(ref o, OrderState.Canceled);
                FreeSlot(slot);
                Counters.Canceled++;
                break;
            case ExecKind.Replaced:
                if (s != OrderState.PendingReplace) return Illegal(slot);
                o.PreviousId = o.ClientId;
                o.ClientId = o.PendingId;
                o.PendingId = 0;
                o.Quantity = o.PendingQuantity;
                o.Price = o.PendingPrice;
                o.Outstanding = OrderRequestKind.None;
                Counters.Replaced++;
                TakeUnseenFill(ref o, r.CumQty);
                Settle(ref o, slot, o.CumQty, r.LeavesQty, OrderState.New);
                break;
            case ExecKind.PendingCancel:
                if (s != OrderState.PendingCancel) return Illegal(slot);
                break;
            case ExecKind.PendingReplace:
                if (s != OrderState.PendingReplace) return Illegal(slot);
                break;
            case ExecKind.Expired:
                if (!s.IsWorking()) return Illegal(slot);
                Close(ref o, OrderState.Expired);
                FreeSlot(slot);
                Counters.Expired++;
                break;
            case ExecKind.Restated:
                if (!s.IsWorking() || r.LeavesQty < 0) return Illegal(slot);
                o.LeavesQty = r.LeavesQty;
                o.Quantity = o.CumQty + r.LeavesQty;
                SetWorking(ref o, r.LeavesQty);
                Counters.Restated++;
                break;
            case ExecKind.OrderStatus:
                Counters.StatusReports++;
                break;
            default:
                Counters.UnsupportedReports++;
                break;
        }
        return slot;
    }

    // A fill: valid while the order works, also while a cancel or replace is pending (the fill may cross the request
    // on the wire) and before the ack (some venues fill without acknowledging first). A fill whose cumulative quantity
    // does not grow is a repeat.
    private int Trade(ref OrderRecord o, int slot, in ExecutionReport r)
    {
        if (!o.State.IsWorking()) return Illegal(slot);
        if (r.CumQty <= o.CumQty)
        {
            Counters.DuplicateFills++;
            return slot;
        }
        long filled = r.CumQty - o.CumQty;
        AddFill(ref o, filled);
        if (o.State == OrderState.PendingNew)
        {
            o.Outstanding = OrderRequestKind.None;
            Counters.Acknowledged++;
        }
        Settle(ref o, slot, r.CumQty, r.LeavesQty, o.State == OrderState.PendingNew ? OrderState.New : o.State);
        if (o.State.IsWorking()) Counters.PartialFills++;
        return slot;
    }

    // The one place a fill moves the position: bought adds, sold subtracts.
    private void AddFill(ref OrderRecord o, long filled) => _position[o.Instrument] += o.Side == Side.Buy ? filled : -filled;

    /// <summary>
    /// A cancel or replace report whose CumQty (14) is above what the order's trades told us carries fills we never saw
    /// as trades (a lost or reordered 150=F): they count in the position all the same, or the position and the risk
    /// checks built on it would drift.
    /// </summary>
    private void TakeUnseenFill(ref OrderRecord o, long cumQty)
    {
        if (cumQty <= o.CumQty) return;
        long filled = cumQty - o.CumQty;
        AddFill(ref o, filled);
        o.CumQty = cumQty;
        Counters.FillsFromOtherReports++;
    }

    /// <summary>Sets the quantities after a fill or a replace; Filled when nothing is left, else the working state
    /// (a pending cancel or replace stays pending, remembering that the order is now partially filled).</summary>
    private void Settle(ref OrderRecord o, int slot, long cumQty, long leavesQty, OrderState working)
    {
        o.CumQty = cumQty;
        o.LeavesQty = leavesQty < 0 ? 0 : leavesQty;
        if (o.LeavesQty == 0)
        {
            Close(ref o, OrderState.Filled);
            FreeSlot(slot);
            Counters.Filled++;
            return;
        }
        SetWorking(ref o, o.LeavesQty);
        OrderState progress = cumQty > 0 ? OrderState.PartiallyFilled : OrderState.New;
        if (working is OrderState.PendingCancel or OrderState.PendingReplace) o.PriorState = progress;
        else o.State = progress;
    }

    /// <summary>
    /// A cancel or cancel/replace was refused (FIX 35=9): the order goes back to the state it was in. When the order
    /// was put in pending cancel by a dropped session and the counterparty no longer knows it
    /// (<paramref name="unknownOrder"/>, FIX CxlRejReason 102=1), the counterparty cancelled it on the disconnect: Canceled.
    /// </summary>
    public int OnCancelReject(ulong clientId, ulong origClientId, bool unknownOrder)
    {
        Counters.CancelRejects++;
        int slot = Find(clientId, origClientId);
        if (slot < 0) return -1;
        ref OrderRecord o = ref _orders[slot];
        if (o.State is not (OrderState.PendingCancel or OrderState.PendingReplace)) return Illegal(slot);
        if (o.DisconnectCancel && unknownOrder)
        {
            Close(ref o, OrderState.Canceled);
            FreeSlot(slot);
            Counters.Canceled++;
            return slot;
        }
        Revert(ref o);
        return slot;
    }

    /// <summary>
    /// A request was refused at the session level (FIX 35=3, by RefSeqNum) or by the application (FIX 35=j, by
    /// sequence or by the id it names; pass 0 for what is unknown). A refused new order is Rejected; a refused cancel
    /// or replace goes back as a cancel reject does.
    /// </summary>
    public int OnRequestRejected(RequestRejectKind kind, long sequence, ulong clientId)
    {
        if (kind == RequestRejectKind.SessionReject) Counters.SessionRejects++;
        else Counters.BusinessRejects++;
        int slot = -1;
        ulong id = clientId;
        if (sequence > 0)
        {
            ref SentRequest s = ref _sent[(int)(sequence & (SentRingSize - 1))];
            if (s.Sequence == sequence)
            {
                slot = s.Slot;
                id = s.Id;
            }
        }
        if (slot < 0)
        {
            if (id == 0)
            {
                Counters.UnknownOrder++;
                return -1;
            }
            slot = Find(id, 0);
            if (slot < 0) return -1;
        }
        ref OrderRecord o = ref _orders[slot];
        if (o.State == OrderState.PendingNew && id == o.ClientId)
        {
            Close(ref o, OrderState.Rejected);
            FreeSlot(slot);
            Counters.Rejected++;
            return slot;
        }
        if ((o.State is OrderState.PendingCancel or OrderState.PendingReplace) && id == o.PendingId)
        {
            Revert(ref o);
            return slot;
        }
        if (o.ClientId != id && o.PendingId != id && o.PreviousId != id)
        {
            Counters.UnknownOrder++;   // the slot moved on to another order since
            return -1;
        }
        return Illegal(slot);
    }

    private void Revert(ref OrderRecord o)
    {
        o.State = o.PriorState;
        o.PendingId = 0;
        o.PendingQuantity = 0;
        o.PendingPrice = 0;
        o.Outstanding = OrderRequestKind.None;
        o.DisconnectCancel = false;
    }

    /// <summary>The slot whose order answers to <paramref name="id"/> (or <paramref name="orig"/>); -1, counted, when none.</summary>
    private int Find(ulong id, ulong orig)
    {
        int slot = Match(id);
        if (slot < 0) slot = Match(orig);
        if (slot < 0) Counters.UnknownOrder++;
        return slot;
    }

    private int Match(ulong id)
    {
        if (id == 0) return -1;
        int slot = ClientOrderId.SlotOf(id);
        if ((uint)slot >= (uint)_orders.Length) return -1;
        ref OrderRecord o = ref _orders[slot];
        return o.State != OrderState.Free && (o.ClientId == id || o.PendingId == id || o.PreviousId == id) ? slot : -1;
    }

    private int Illegal(int slot)
    {
        Counters.IllegalTransitions++;
        return slot;
    }
}
