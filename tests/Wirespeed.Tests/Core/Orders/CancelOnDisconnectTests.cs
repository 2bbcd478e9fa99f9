using Wirespeed.Core.Orders;
using Xunit;
using static Wirespeed.Tests.Core.Orders.Orders;

namespace Wirespeed.Tests.Core.Orders;

/// <summary>Session down: every working order is considered for cancel; back up: cancels go out and answers settle them.</summary>
public sealed class CancelOnDisconnectTests
{
    [Fact]
    public void Working_orders_go_pending_cancel_on_disconnect_and_are_cancelled_on_reconnect()
    {
        var m = Manager(out var log);
        m.Submit(Limit(), 0);
        int acked = m.LastSlot;
        ulong ackedId = m.Order(acked).ClientId;
        m.OnExecution(Exec(ackedId, ExecKind.New, leaves: 100));
        m.Submit(Limit(), 0);
        int replacing = m.LastSlot;
        m.OnExecution(Exec(m.Order(replacing).ClientId, ExecKind.New, leaves: 100));
        m.Replace(replacing, 120, 1_000_000, 999_900, 1_000_100, 0);
        m.Submit(Limit(), 0);
        int filled = m.LastSlot;
        m.OnExecution(Exec(m.Order(filled).ClientId, ExecKind.Trade, cum: 100, leaves: 0, last: 100));

        log.Up = false;
        m.DoWork(0);
        Assert.Equal(2, m.Counters.DisconnectCancels);
        Assert.True(m.Order(acked).DisconnectCancel);
        Assert.Equal(OrderState.PendingCancel, m.Order(acked).State);
        Assert.Equal(OrderState.New, m.Order(acked).PriorState);
        Assert.Equal(OrderState.PendingCancel, m.Order(replacing).State);
        Assert.Equal(OrderState.Filled, m.Order(filled).State);
        Assert.Equal(2, m.OpenOrders(1));            // exposure still counted until answered
        Assert.Equal(RiskReject.SessionDown, m.Submit(Limit(), 0));
        Assert.Equal(RiskReject.NotWorking, m.Replace(acked, 120, 1_000_000, 999_900, 1_000_100, 0));   // pending cancel now

        int sent = log.Sent.Count;
        log.Up = true;
        Assert.Equal(2, m.DoWork(0));
        Assert.Equal(2, m.Counters.DisconnectCancelsSent);
        Assert.Equal(sent + 2, log.Sent.Count);
        // The venue had cancelled one on disconnect and no longer knows it; it cancels the other now.
        m.OnCancelReject(m.Order(acked).PendingId, ackedId, unknownOrder: true);
        Assert.Equal(OrderState.Canceled, m.Order(acked).State);
        m.OnExecution(Exec(m.Order(replacing).PendingId, ExecKind.Canceled));
        Assert.Equal(OrderState.Canceled, m.Order(replacing).State);
        Assert.Equal(0, m.OpenOrders(1));
    }

    [Fact]
    public void A_cancel_refused_for_another_reason_after_reconnect_returns_the_order_to_work()
    {
        var m = Manager(out var log);
        m.Submit(Limit(), 0);
        int slot = m.LastSlot;
        ulong id = m.Order(slot).ClientId;
        m.OnExecution(Exec(id, ExecKind.New, leaves: 100));
        log.Up = false;
        m.DoWork(0);
        Assert.Equal(RiskReject.NotWorking, m.Cancel(slot));   // already pending cancel
        log.Up = true;
        m.DoWork(0);
        m.OnCancelReject(m.Order(slot).PendingId, id, unknownOrder: false);
        Assert.Equal(OrderState.New, m.Order(slot).State);
        Assert.False(m.Order(slot).DisconnectCancel);
    }

    [Fact]
    public void A_new_order_cannot_be_cancelled_while_the_session_is_down()
    {
        var m = Manager(out var log);
        m.Submit(Limit(), 0);
        log.Up = false;   // not yet noticed by DoWork: the order is still pending new
        Assert.Equal(RiskReject.SessionDown, m.Cancel(m.LastSlot));
    }
}
