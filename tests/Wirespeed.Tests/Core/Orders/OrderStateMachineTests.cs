using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;
using Xunit;
using static Wirespeed.Tests.Core.Orders.Orders;

namespace Wirespeed.Tests.Core.Orders;

/// <summary>Every transition of the order state machine, driven through <see cref="OrderManager{TGateway}"/>.</summary>
public sealed class OrderStateMachineTests
{
    private static (OrderManager<RecordingGateway> M, GatewayLog Log, int Slot, ulong Id) Sent(long qty = 100)
    {
        var m = Manager(out var log);
        Assert.Equal(RiskReject.None, m.Submit(Limit(qty: qty), 0));
        return (m, log, m.LastSlot, m.Order(m.LastSlot).ClientId);
    }

    private static (OrderManager<RecordingGateway> M, GatewayLog Log, int Slot, ulong Id) Acked(long qty = 100)
    {
        var t = Sent(qty);
        t.M.OnExecution(Exec(t.Id, ExecKind.New, leaves: qty));
        return t;
    }

    [Fact]
    public void A_submitted_order_is_pending_new_and_sent_once_with_its_terms()
    {
        var (m, log, slot, id) = Sent();
        var o = m.Order(slot);
        Assert.Equal(OrderState.PendingNew, o.State);
        Assert.Equal(OrderRequestKind.New, o.Outstanding);
        Assert.Equal(slot, ClientOrderId.SlotOf(id));
        Assert.Single(log.Sent);
        Assert.Equal(new SentOrder(OrderRequestKind.New, 1, id, 0, 1, Side.Buy, 100, 1_000_000), log.Last);
        Assert.Equal(1, m.OpenOrders(1));
        Assert.Equal(100, m.WorkingQuantity(1, Side.Buy));
        Assert.Equal(0, m.WorkingQuantity(1, Side.Sell));
        Assert.Equal((0, 0L, 0L), (m.OpenOrders(-1), m.Position(99), m.WorkingQuantity(99, Side.Buy)));
        Assert.Equal(1, m.Counters.Sent);
    }

    [Fact]
    public void Pending_new_ack_keeps_the_state_and_new_acknowledges()
    {
        var (m, _, slot, id) = Sent();
        Assert.Equal(slot, m.OnExecution(Exec(id, ExecKind.PendingNew, leaves: 100)));
        Assert.Equal(OrderState.PendingNew, m.Order(slot).State);
        m.OnExecution(Exec(id, ExecKind.New, leaves: 100));
        Assert.Equal(OrderState.New, m.Order(slot).State);
        Assert.Equal(OrderRequestKind.None, m.Order(slot).Outstanding);
        Assert.Equal(1, m.Counters.Acknowledged);
        Assert.Equal(0, m.Counters.IllegalTransitions);
    }

    [Fact]
    public void A_rejected_new_order_is_terminal_and_leaves_no_exposure()
    {
        var (m, _, slot, id) = Sent();
        int free = m.FreeSlots;
        m.OnExecution(Exec(id, ExecKind.Rejected));
        Assert.Equal(OrderState.Rejected, m.Order(slot).State);
        Assert.True(m.Order(slot).State.IsTerminal());
        Assert.False(OrderState.PendingReplace.IsTerminal());
        Assert.Equal(0, m.OpenOrders(1));
        Assert.Equal(0, m.WorkingQuantity(1, Side.Buy));
        Assert.Equal(free + 1, m.FreeSlots);
        Assert.Equal(1, m.Counters.Rejected);
    }

    [Fact]
    public void Partial_fills_then_the_last_fill_move_position_and_end_filled()
    {
        var (m, _, slot, id) = Acked();
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 30, leaves: 70, last: 30));
        Assert.Equal(OrderState.PartiallyFilled, m.Order(slot).State);
        Assert.Equal(30, m.Position(1));
        Assert.Equal(70, m.WorkingQuantity(1, Side.Buy));
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 30, leaves: 70, last: 30));   // repeated: ignored
        Assert.Equal(1, m.Counters.DuplicateFills);
        Assert.Equal(30, m.Position(1));
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 100, leaves: 0, last: 70));
        var o = m.Order(slot);
        Assert.Equal(OrderState.Filled, o.State);
        Assert.Equal(100, o.CumQty);
        Assert.Equal(100, m.Position(1));
        Assert.Equal(0, m.WorkingQuantity(1, Side.Buy));
        Assert.Equal(0, m.OpenOrders(1));
        Assert.Equal(1, m.Counters.PartialFills);
        Assert.Equal(1, m.Counters.Filled);
    }

    [Fact]
    public void A_sell_fill_reduces_the_position()
    {
        var m = Manager(out _);
        m.Submit(Limit(side: Side.Sell, qty: 50), 0);
        ulong id = m.Order(m.LastSlot).ClientId;
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 50, leaves: 0, last: 50));
        Assert.Equal(-50, m.Position(1));
        Assert.Equal(OrderState.Filled, m.Order(m.LastSlot).State);
    }

    [Fact]
    public void A_fill_before_the_ack_acknowledges_the_order()
    {
        var (m, _, slot, id) = Sent();
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 10, leaves: 90, last: 10));
        Assert.Equal(OrderState.PartiallyFilled, m.Order(slot).State);
        Assert.Equal(1, m.Counters.Acknowledged);
    }

    [Fact]
    public void Cancel_goes_pending_then_canceled()
    {
        var (m, log, slot, id) = Acked();
        Assert.Equal(RiskReject.None, m.Cancel(slot));
        var o = m.Order(slot);
        Assert.Equal(OrderState.PendingCancel, o.State);
        Assert.Equal(OrderState.New, o.PriorState);
        Assert.Equal(OrderRequestKind.Cancel, log.Last.Kind);
        Assert.Equal(id, log.Last.OrigId);
        Assert.Equal(o.PendingId, log.Last.Id);
        m.OnExecution(Exec(o.PendingId, ExecKind.PendingCancel, leaves: 100, orig: id));
        Assert.Equal(OrderState.PendingCancel, m.Order(slot).State);
        m.OnExecution(Exec(o.PendingId, ExecKind.Canceled, orig: id));
        Assert.Equal(OrderState.Canceled, m.Order(slot).State);
        Assert.Equal(0, m.OpenOrders(1));
        Assert.Equal(1, m.Counters.Canceled);
        Assert.Equal(1, m.Counters.CancelsSent);
    }

    [Fact]
    public void An_unsolicited_cancel_of_a_working_order_is_accepted()
    {
        var (m, _, slot, id) = Acked();
        m.OnExecution(Exec(id, ExecKind.Canceled));
        Assert.Equal(OrderState.Canceled, m.Order(slot).State);
        Assert.Equal(0, m.Counters.IllegalTransitions);
    }

    [Fact]
    public void Replace_goes_pending_then_takes_the_new_terms_and_id()
    {
        var (m, log, slot, id) = Acked();
        Assert.Equal(RiskReject.None, m.Replace(slot, 150, 1_000_100, 999_900, 1_000_100, 0));
        var o = m.Order(slot);
        Assert.Equal(OrderState.PendingReplace, o.State);
        Assert.Equal(new SentOrder(OrderRequestKind.Replace, 2, o.PendingId, id, 1, Side.Buy, 150, 1_000_100), log.Last);
        m.OnExecution(Exec(o.PendingId, ExecKind.PendingReplace, leaves: 100, orig: id));
        Assert.Equal(OrderState.PendingReplace, m.Order(slot).State);
        ulong newId = o.PendingId;
        m.OnExecution(Exec(newId, ExecKind.Replaced, leaves: 150, orig: id));
        o = m.Order(slot);
        Assert.Equal(OrderState.New, o.State);
        Assert.Equal(newId, o.ClientId);
        Assert.Equal(id, o.PreviousId);
        Assert.Equal(150, o.Quantity);
        Assert.Equal(1_000_100, o.Price);
        Assert.Equal(150, m.WorkingQuantity(1, Side.Buy));
        Assert.Equal(1, m.Counters.Replaced);
        // A late answer naming the old id still finds the order.
        Assert.Equal(slot, m.OnExecution(Exec(id, ExecKind.OrderStatus)));
    }

    [Fact]
    public void Replace_of_a_partially_filled_order_stays_partially_filled_and_a_fill_to_zero_leaves_fills_it()
    {
        var (m, _, slot, id) = Acked();
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 40, leaves: 60, last: 40));
        m.Replace(slot, 80, 1_000_000, 999_900, 1_000_100, 0);
        ulong newId = m.Order(slot).PendingId;
        m.OnExecution(Exec(newId, ExecKind.Replaced, cum: 40, leaves: 40, orig: id));
        Assert.Equal(OrderState.PartiallyFilled, m.Order(slot).State);
        Assert.Equal(40, m.WorkingQuantity(1, Side.Buy));
        m.Replace(slot, 90, 1_000_000, 999_900, 1_000_100, 0);
        m.OnExecution(Exec(newId, ExecKind.Trade, cum: 90, leaves: 0, last: 50));   // fills out while the replace is pending
        Assert.Equal(OrderState.Filled, m.Order(slot).State);
        Assert.Equal(90, m.Position(1));
    }

    [Fact]
    public void Fills_first_seen_in_a_cancel_or_replace_report_count_in_the_position()
    {
        // A trade report lost or overtaken: the replace's CumQty says 30 filled, the cancel's says 70.
        var (m, _, slot, id) = Acked();
        m.Replace(slot, 120, 1_000_000, 999_900, 1_000_100, 0);
        ulong newId = m.Order(slot).PendingId;
        m.OnExecution(Exec(newId, ExecKind.Replaced, cum: 30, leaves: 90, orig: id));
        Assert.Equal(30, m.Position(1));
        Assert.Equal(30, m.Order(slot).CumQty);
        Assert.Equal(OrderState.PartiallyFilled, m.Order(slot).State);
        m.Cancel(slot);
        m.OnExecution(Exec(m.Order(slot).PendingId, ExecKind.Canceled, cum: 70, orig: newId));
        Assert.Equal(OrderState.Canceled, m.Order(slot).State);
        Assert.Equal(70, m.Position(1));
        Assert.Equal(2, m.Counters.FillsFromOtherReports);
        // A cancel whose CumQty is not above what was seen adds nothing.
        var (m2, _, slot2, id2) = Acked();
        m2.OnExecution(Exec(id2, ExecKind.Trade, cum: 10, leaves: 90, last: 10));
        m2.OnExecution(Exec(id2, ExecKind.Canceled, cum: 10));
        Assert.Equal(10, m2.Position(1));
        Assert.Equal(0, m2.Counters.FillsFromOtherReports);
        Assert.Equal(OrderState.Canceled, m2.Order(slot2).State);
    }

    [Fact]
    public void A_replaced_report_with_nothing_left_fills_the_order()
    {
        var (m, _, slot, id) = Acked();
        m.Replace(slot, 120, 1_000_000, 999_900, 1_000_100, 0);
        m.OnExecution(Exec(m.Order(slot).PendingId, ExecKind.Replaced, cum: 0, leaves: 0, orig: id));
        Assert.Equal(OrderState.Filled, m.Order(slot).State);
    }

    [Fact]
    public void A_fill_during_pending_cancel_keeps_it_pending_and_a_cancel_reject_returns_to_partially_filled()
    {
        var (m, _, slot, id) = Acked();
        m.Cancel(slot);
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 25, leaves: 75, last: 25));
        var o = m.Order(slot);
        Assert.Equal(OrderState.PendingCancel, o.State);
        Assert.Equal(OrderState.PartiallyFilled, o.PriorState);
        Assert.Equal(slot, m.OnCancelReject(o.PendingId, id, unknownOrder: false));
        o = m.Order(slot);
        Assert.Equal(OrderState.PartiallyFilled, o.State);
        Assert.Equal(0UL, o.PendingId);
        Assert.Equal(1, m.Counters.CancelRejects);
    }

    [Fact]
    public void A_refused_replace_returns_to_new()
    {
        var (m, _, slot, id) = Acked();
        m.Replace(slot, 150, 1_000_000, 999_900, 1_000_100, 0);
        m.OnCancelReject(m.Order(slot).PendingId, id, unknownOrder: true);   // unknown order only matters after a disconnect
        Assert.Equal(OrderState.New, m.Order(slot).State);
        Assert.Equal(100, m.Order(slot).Quantity);
    }

    [Fact]
    public void Expired_restated_status_and_unsupported_reports()
    {
        var (m, _, slot, id) = Acked();
        m.OnExecution(Exec(id, ExecKind.Restated, leaves: 80));
        Assert.Equal(80, m.Order(slot).Quantity);
        Assert.Equal(80, m.WorkingQuantity(1, Side.Buy));
        m.OnExecution(Exec(id, ExecKind.OrderStatus));
        m.OnExecution(Exec(id, ExecKind.Unsupported));
        Assert.Equal(OrderState.New, m.Order(slot).State);
        m.OnExecution(Exec(id, ExecKind.Expired));
        Assert.Equal(OrderState.Expired, m.Order(slot).State);
        Assert.Equal((1, 1, 1, 1), (m.Counters.Restated, m.Counters.StatusReports, m.Counters.UnsupportedReports, m.Counters.Expired));
        Assert.Equal(0, m.OpenOrders(1));
    }

    public static TheoryData<string, ExecKind> IllegalCases => new()
    {
        { "pendingNew", ExecKind.PendingCancel }, { "pendingNew", ExecKind.PendingReplace }, { "pendingNew", ExecKind.Replaced },
        { "new", ExecKind.New }, { "new", ExecKind.PendingNew }, { "new", ExecKind.Rejected }, { "new", ExecKind.Replaced },
        { "new", ExecKind.PendingCancel }, { "new", ExecKind.PendingReplace },
        { "filled", ExecKind.New }, { "filled", ExecKind.Trade }, { "filled", ExecKind.Canceled }, { "filled", ExecKind.Expired },
        { "filled", ExecKind.Restated }, { "filled", ExecKind.Rejected },
        { "canceled", ExecKind.Trade }, { "canceled", ExecKind.Canceled }, { "canceled", ExecKind.Replaced },
        { "pendingCancel", ExecKind.New }, { "pendingCancel", ExecKind.Replaced }, { "pendingReplace", ExecKind.PendingCancel },
    };

    [Theory]
    [MemberData(nameof(IllegalCases))]
    public void An_illegal_transition_is_counted_and_changes_nothing(string from, ExecKind kind)
    {
        var (m, _, slot, id) = from == "pendingNew" ? Sent() : Acked();
        ulong answer = id;
        switch (from)
        {
            case "filled": m.OnExecution(Exec(id, ExecKind.Trade, cum: 100, leaves: 0, last: 100)); break;
            case "canceled": m.OnExecution(Exec(id, ExecKind.Canceled)); break;
            case "pendingCancel": m.Cancel(slot); answer = m.Order(slot).PendingId; break;
            case "pendingReplace": m.Replace(slot, 120, 1_000_000, 999_900, 1_000_100, 0); answer = m.Order(slot).PendingId; break;
        }
        var before = m.Order(slot);
        long position = m.Position(1);
        Assert.Equal(slot, m.OnExecution(Exec(answer, kind, cum: 50, leaves: 50, last: 50)));
        Assert.Equal(1, m.Counters.IllegalTransitions);
        Assert.Equal(before, m.Order(slot));
        Assert.Equal(position, m.Position(1));
    }

    [Fact]
    public void A_cancel_reject_for_an_order_without_a_pending_request_is_illegal()
    {
        var (m, _, slot, id) = Acked();
        Assert.Equal(slot, m.OnCancelReject(id, 0, unknownOrder: false));
        Assert.Equal(1, m.Counters.IllegalTransitions);
        Assert.Equal(OrderState.New, m.Order(slot).State);
    }

    [Fact]
    public void Answers_about_no_order_of_ours_are_counted_as_unknown()
    {
        var (m, _, slot, id) = Sent();
        Assert.Equal(-1, m.OnExecution(Exec(0, ExecKind.New)));
        Assert.Equal(-1, m.OnExecution(Exec(id + (1UL << ClientOrderId.SlotBits), ExecKind.New)));   // same slot, another order
        Assert.Equal(-1, m.OnExecution(Exec(ClientOrderId.Make(1, 15_000), ExecKind.New)));           // slot beyond the table
        Assert.Equal(-1, m.OnCancelReject(12345UL << ClientOrderId.SlotBits, 0, false));
        Assert.Equal(4, m.Counters.UnknownOrder);
        Assert.Equal(OrderState.PendingNew, m.Order(slot).State);
    }

    [Fact]
    public void A_reused_slot_does_not_take_answers_meant_for_its_previous_order()
    {
        var limits = Loose with { OrderSlots = 2 };
        var m = Manager(out _, limits);
        m.Submit(Limit(), 0);
        int first = m.LastSlot;
        ulong firstId = m.Order(first).ClientId;
        m.OnExecution(Exec(firstId, ExecKind.Rejected));
        m.Submit(Limit(), 0);
        m.OnExecution(Exec(m.Order(m.LastSlot).ClientId, ExecKind.Rejected));
        m.Submit(Limit(), 0);                       // FIFO: the first slot again
        Assert.Equal(first, m.LastSlot);
        Assert.Equal(-1, m.OnExecution(Exec(firstId, ExecKind.New)));
        Assert.Equal(OrderState.PendingNew, m.Order(first).State);
    }

    [Fact]
    public void A_session_reject_of_a_new_order_found_by_sequence_rejects_it()
    {
        var (m, log, slot, _) = Sent();
        Assert.Equal(slot, m.OnRequestRejected(RequestRejectKind.SessionReject, log.Last.Sequence, 0));
        Assert.Equal(OrderState.Rejected, m.Order(slot).State);
        Assert.Equal(1, m.Counters.SessionRejects);
    }

    [Fact]
    public void A_session_reject_of_a_cancel_returns_the_order_to_work()
    {
        var (m, log, slot, _) = Acked();
        m.Cancel(slot);
        m.OnRequestRejected(RequestRejectKind.SessionReject, log.Last.Sequence, 0);
        Assert.Equal(OrderState.New, m.Order(slot).State);
    }

    [Fact]
    public void A_business_reject_finds_the_order_by_its_id()
    {
        var (m, _, slot, id) = Sent();
        Assert.Equal(slot, m.OnRequestRejected(RequestRejectKind.BusinessReject, 0, id));
        Assert.Equal(OrderState.Rejected, m.Order(slot).State);
        Assert.Equal(1, m.Counters.BusinessRejects);
    }

    [Fact]
    public void Rejects_that_match_nothing_or_a_settled_request_are_counted()
    {
        var (m, log, slot, id) = Acked();
        Assert.Equal(-1, m.OnRequestRejected(RequestRejectKind.SessionReject, 999, 0));     // no such sequence, no id
        Assert.Equal(-1, m.OnRequestRejected(RequestRejectKind.BusinessReject, 0, 77));      // no such id
        Assert.Equal(slot, m.OnRequestRejected(RequestRejectKind.SessionReject, log.Last.Sequence, 0));   // the new was acked already
        Assert.Equal(1, m.Counters.IllegalTransitions);
        Assert.Equal(OrderState.New, m.Order(slot).State);
        m.OnExecution(Exec(id, ExecKind.Canceled));
        for (int i = 0; i < 16; i++) { m.Submit(Limit(), 0); m.OnExecution(Exec(m.Order(m.LastSlot).ClientId, ExecKind.Rejected)); }
        // The first request's sequence still maps to its slot, which now holds another order.
        Assert.Equal(-1, m.OnRequestRejected(RequestRejectKind.SessionReject, 1, 0));
        Assert.Equal(3, m.Counters.UnknownOrder);
    }

    [Fact]
    public void A_failed_send_frees_the_slot_and_counts()
    {
        var m = Manager(out var log);
        log.Fail = true;
        Assert.Equal(RiskReject.SendFailed, m.Submit(Limit(), 0));
        Assert.Equal(16, m.FreeSlots);
        Assert.Equal(0, m.OpenOrders(1));
        log.Fail = false;
        m.Submit(Limit(), 0);
        int slot = m.LastSlot;
        m.OnExecution(Exec(m.Order(slot).ClientId, ExecKind.New, leaves: 100));
        log.Fail = true;
        Assert.Equal(RiskReject.SendFailed, m.Cancel(slot));
        Assert.Equal(RiskReject.SendFailed, m.Replace(slot, 50, 1_000_000, 999_900, 1_000_100, 0));
        Assert.Equal(OrderState.New, m.Order(slot).State);
        Assert.Equal(3, m.Counters.BlockedBy(RiskReject.SendFailed));
    }

    [Fact]
    public void Cancel_and_replace_need_a_working_order()
    {
        var (m, _, slot, id) = Sent();
        Assert.Equal(RiskReject.InvalidOrder, m.Cancel(-1));
        Assert.Equal(RiskReject.InvalidOrder, m.Replace(99, 1, 1, 1, 1, 0));
        Assert.Equal(RiskReject.NotWorking, m.Replace(slot, 150, 1_000_000, 999_900, 1_000_100, 0));   // not acked yet
        Assert.Equal(RiskReject.NotWorking, m.Cancel(5));                                              // never used
        m.OnExecution(Exec(id, ExecKind.New, leaves: 100));
        m.OnExecution(Exec(id, ExecKind.Trade, cum: 60, leaves: 40, last: 60));
        Assert.Equal(RiskReject.InvalidOrder, m.Replace(slot, 60, 1_000_000, 999_900, 1_000_100, 0));  // not above the filled quantity
        m.Cancel(slot);
        Assert.Equal(RiskReject.NotWorking, m.Cancel(slot));
        Assert.Equal(3, m.Counters.BlockedBy(RiskReject.NotWorking));
    }
}
