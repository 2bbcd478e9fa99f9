using Wirespeed.Core.Breakers;
using Wirespeed.Core.Orders;
using Xunit;
using static Wirespeed.Tests.Core.Orders.Orders;

namespace Wirespeed.Tests.Core.Orders;

/// <summary>The kill switch pulled by a breaker reaching Halted and by an operator; cancel-all from lower levels.</summary>
public sealed class KillSwitchTests
{
    private static OrderManager<RecordingGateway> TwoWorking(out GatewayLog log, KillSwitch kill, CancelAllRequest? cancel = null)
    {
        var m = Manager(out log, kill: kill, cancel: cancel);
        m.Submit(Limit(), 0);
        m.OnExecution(Exec(m.Order(m.LastSlot).ClientId, ExecKind.New, leaves: 100));
        m.Submit(Limit(instrument: 2), 0);   // still pending new: cancelled too
        return m;
    }

    [Fact]
    public void A_breaker_reaching_halted_cancels_every_working_order_and_blocks_new_ones_until_released()
    {
        var kill = new KillSwitch();
        var m = TwoWorking(out var log, kill);
        var actions = new KillSwitchBreakerActions(kill, m.CancelAllRequests);
        actions.CancelAll(new BreakerTransition { Scope = BreakerScope.Market, From = BreakerLevel.Restricted, To = BreakerLevel.Halted });
        Assert.Equal(KillReason.Breaker, kill.Reason);
        Assert.Equal(2, m.DoWork(0));
        Assert.Equal(2, m.Counters.KillSwitchCancels);
        Assert.All(log.Sent.GetRange(2, 2), s => Assert.Equal(OrderRequestKind.Cancel, s.Kind));
        Assert.Equal(OrderState.PendingCancel, m.Order(0).State);
        Assert.Equal(OrderState.PendingCancel, m.Order(1).State);
        Assert.Equal(0, m.DoWork(0));   // served once per pull
        Assert.Equal(RiskReject.KillSwitch, m.Submit(Limit(), 0));
        m.OnExecution(Exec(m.Order(0).PendingId, ExecKind.Canceled));
        kill.Release();
        Assert.False(kill.IsPulled);
        Assert.Equal(RiskReject.None, m.Submit(Limit(), 0));
    }

    [Fact]
    public void An_operator_pull_cancels_at_the_next_request_even_without_housekeeping()
    {
        var kill = new KillSwitch();
        var m = TwoWorking(out var log, kill);
        kill.Pull(KillReason.Operator);
        kill.Pull(KillReason.Breaker);                 // already pulled: the first reason stays
        Assert.Equal(KillReason.Operator, kill.Reason);
        Assert.Equal(1, kill.Epoch);
        Assert.Equal(RiskReject.KillSwitch, m.Replace(0, 10, 1_000_000, 999_900, 1_000_100, 0));
        Assert.Equal(4, log.Sent.Count);               // the two cancels went out first
        Assert.Equal(OrderRequestKind.Cancel, log.Last.Kind);
        Assert.Equal(RiskReject.KillSwitch, m.Submit(Limit(), 0));
        kill.Release();
        kill.Pull(KillReason.None);                    // not a pull
        Assert.False(kill.IsPulled);
        m.Submit(Limit(instrument: 3), 0);
        kill.Pull(KillReason.Operator);                // a new pull cancels again
        Assert.Equal(1, m.DoWork(0));
    }

    [Fact]
    public void Cancel_all_below_halted_cancels_without_blocking_and_alerts_are_counted()
    {
        var kill = new KillSwitch();
        var cancel = new CancelAllRequest();
        var m = TwoWorking(out _, kill, cancel);
        var actions = new KillSwitchBreakerActions(kill, cancel);
        actions.CancelAll(new BreakerTransition { To = BreakerLevel.Restricted });
        actions.Alert(new BreakerTransition { To = BreakerLevel.Restricted });
        Assert.False(kill.IsPulled);
        Assert.Equal(1, cancel.Alerts);
        Assert.Equal(2, m.DoWork(0));
        Assert.Equal(RiskReject.None, m.Submit(Limit(instrument: 4), 0));
    }

    [Fact]
    public void A_pull_while_the_session_is_down_is_served_when_it_returns()
    {
        var kill = new KillSwitch();
        var m = TwoWorking(out var log, kill);
        log.Up = false;
        m.DoWork(0);                 // session down: orders pending cancel by disconnect
        kill.Pull(KillReason.Operator);
        Assert.Equal(0, m.CancelAll());
        Assert.Equal(0, m.DoWork(0));
        log.Up = true;
        Assert.Equal(2, m.DoWork(0));   // the disconnect cancels go out; the pull is served with nothing left to cancel
        Assert.Equal(0, m.DoWork(0));
    }
}
