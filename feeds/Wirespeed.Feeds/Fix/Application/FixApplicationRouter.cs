using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;
using Wirespeed.Core.Rings;
using Wirespeed.Feeds.Fix.MarketData;
using Wirespeed.Feeds.Fix.Orders;

namespace Wirespeed.Feeds.Fix.Application;

/// <summary>
/// The application side of one FIX session, as the session sees it (<see cref="IFixApplicationHandler"/>): answers to
/// orders go to the order flow, market data to the market-data reader (its events into <typeparamref name="TEmitter"/>,
/// the ring or stage that feeds the book worker), anything else is counted. On logon it subscribes every instrument
/// and lets the order manager notice the session (cancel-on-disconnect's second half); on loss, the first half.
/// The session thread also calls <see cref="DoWork"/> from its loop: strategy requests from the ring, the kill switch,
/// breaker cancel-alls. Either part may be absent (an orders-only or a market-data-only session).
/// </summary>
public sealed class FixApplicationRouter<TSession, TEmitter> : IFixApplicationHandler
    where TSession : struct, IFixApplicationSession
    where TEmitter : struct, IEventHandler
{
    private readonly FixOrderFlow<TSession>? _orders;
    private readonly FixMarketData<TSession>? _marketData;
    private readonly SpscRing<OrderRequest>? _requests;
    private TEmitter _emitter;

    /// <param name="orders">The order flow, or null.</param>
    /// <param name="marketData">The market-data reader, or null.</param>
    /// <param name="emitter">Where market-data events go.</param>
    /// <param name="requests">The strategy adapter's ring, drained by <see cref="DoWork"/>; null when orders come only from calls.</param>
    public FixApplicationRouter(FixOrderFlow<TSession>? orders, FixMarketData<TSession>? marketData, TEmitter emitter, SpscRing<OrderRequest>? requests = null)
    {
        _orders = orders;
        _marketData = marketData;
        _emitter = emitter;
        _requests = requests;
    }

    /// <summary>Application messages neither part handles (counted, ignored).</summary>
    public long Unhandled { get; private set; }

    public TEmitter Emitter => _emitter;

    public void OnApplicationMessage(in FixView message, long receiveNs)
    {
        if (_orders is not null && _orders.OnMessage(in message)) return;
        if (_marketData is not null && _marketData.OnMessage(in message, receiveNs, ref _emitter)) return;
        Unhandled++;
    }

    /// <summary>Called with <see cref="IFixApplicationSession.IsLoggedOn"/> already true.</summary>
    public void OnSessionUp()
    {
        _marketData?.SubscribeAll();
        _orders?.Manager.DoWork(Wirespeed.Core.Time.MonoClock.NowNs());
    }

    /// <summary>Called with <see cref="IFixApplicationSession.IsLoggedOn"/> already false.</summary>
    public void OnSessionDown() => _orders?.Manager.DoWork(Wirespeed.Core.Time.MonoClock.NowNs());

    /// <summary>Session-thread housekeeping at monotonic <paramref name="nowNs"/>: up to <paramref name="limit"/>
    /// strategy requests submitted, then the order manager's flags. Returns the work done.</summary>
    public int DoWork(long nowNs, int limit = 64)
    {
        if (_orders is null) return 0;
        int work = _requests is null ? 0 : _orders.Manager.Drain(_requests, limit, nowNs);
        return work + _orders.Manager.DoWork(nowNs);
    }
}
