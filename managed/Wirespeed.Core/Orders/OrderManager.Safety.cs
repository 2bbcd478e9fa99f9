namespace Wirespeed.Core.Orders;

// Kill switch, breaker cancel-all and cancel-on-disconnect (session thread).
public sealed partial class OrderManager<TGateway>
{
    /// <summary>
    /// Housekeeping at monotonic time <paramref name="nowNs"/>, called by the session thread's loop: notices the session
    /// going down or coming back, a newly pulled kill switch and a breaker's cancel-all request. Returns the requests sent.
    /// </summary>
    public int DoWork(long nowNs)
    {
        bool up = _gateway.IsUp;
        int work = 0;
        if (_wasUp && !up) work += SessionDown();
        else if (!_wasUp && up) work += SessionUp();
        _wasUp = up;
        return work + ServeFlags();
    }

    /// <summary>Asks to cancel every working order that has no cancel outstanding. Returns the cancels sent.</summary>
    public int CancelAll()
    {
        if (!_gateway.IsUp) return 0;
        int sent = 0;
        for (int slot = 0; slot < _orders.Length; slot++)
        {
            ref OrderRecord o = ref _orders[slot];
            if (o.State is OrderState.PendingNew or OrderState.New or OrderState.PartiallyFilled && SendCancel(ref o, slot)) sent++;
        }
        return sent;
    }

    private int ServeFlags()
    {
        int sent = 0;
        long epoch = _kill.Epoch;
        if (epoch != _killServed && _gateway.IsUp)
        {
            _killServed = epoch;
            sent += CancelAll();
        }
        long asked = _cancelAll.Requested;
        if (asked != _cancelAllServed && _gateway.IsUp)
        {
            _cancelAllServed = asked;
            sent += CancelAll();
        }
        Counters.KillSwitchCancels += sent;
        return sent;
    }

    // Cancel-on-disconnect: with the session gone, nothing of ours can be trusted to be working; many venues cancel
    // on disconnect, others do not. Every working order is marked pending cancel (exposure still counted) until the
    // counterparty answers after the session is back.
    private int SessionDown()
    {
        int marked = 0;
        for (int slot = 0; slot < _orders.Length; slot++)
        {
            ref OrderRecord o = ref _orders[slot];
            if (!o.State.IsWorking()) continue;
            if (o.State is not (OrderState.PendingCancel or OrderState.PendingReplace)) o.PriorState = o.State;
            o.State = OrderState.PendingCancel;
            o.DisconnectCancel = true;
            marked++;
        }
        Counters.DisconnectCancels += marked;
        return 0;
    }

    private int SessionUp()
    {
        int sent = 0;
        for (int slot = 0; slot < _orders.Length; slot++)
        {
            ref OrderRecord o = ref _orders[slot];
            if (!o.DisconnectCancel || o.State != OrderState.PendingCancel) continue;
            if (SendCancel(ref o, slot)) sent++;
        }
        Counters.DisconnectCancelsSent += sent;
        return sent;
    }
}
