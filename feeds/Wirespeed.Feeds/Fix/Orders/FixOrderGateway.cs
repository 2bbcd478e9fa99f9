using System;
using System.Text;
using Wirespeed.Core.Orders;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Fix.Application;

namespace Wirespeed.Feeds.Fix.Orders;

/// <summary>
/// The order manager's gateway over a FIX session: each request becomes a D, F or G through the seam
/// (<see cref="IFixApplicationSession"/>), with the instrument's Symbol from the symbol table and the client order id
/// as prefix + number. Allocates nothing per order (the message structs refer to arrays made at start-up).
/// </summary>
public struct FixOrderGateway<TSession> : IOrderGateway where TSession : struct, IFixApplicationSession
{
    private TSession _session;
    private readonly FixSymbolTable _symbols;
    private readonly byte[] _prefix;
    private readonly byte[]? _account;

    /// <param name="session">The session the messages go through (see <see cref="IFixApplicationSession"/>).</param>
    /// <param name="symbols">Symbol (55) of each instrument.</param>
    /// <param name="clOrdIdPrefix">Makes ids unique across restarts of the same day (e.g. the start time); up to 16 characters.</param>
    /// <param name="account">Account (1) on new orders; none when null.</param>
    public FixOrderGateway(TSession session, FixSymbolTable symbols, string clOrdIdPrefix, string? account = null)
    {
        if (symbols is null) throw new ArgumentNullException(nameof(symbols));
        if (clOrdIdPrefix is null || clOrdIdPrefix.Length > 16 || clOrdIdPrefix.IndexOf('\u0001') >= 0)
            throw new ArgumentException($"orders.clOrdIdPrefix='{clOrdIdPrefix}' must be at most 16 characters without SOH.", nameof(clOrdIdPrefix));
        foreach (char c in clOrdIdPrefix)
            if (c is >= '0' and <= '9') throw new ArgumentException($"orders.clOrdIdPrefix='{clOrdIdPrefix}' must not contain digits (they would merge with the number).", nameof(clOrdIdPrefix));
        _session = session;
        _symbols = symbols;
        _prefix = Encoding.ASCII.GetBytes(clOrdIdPrefix);
        _account = account is null ? null : Encoding.ASCII.GetBytes(account);
        FixedClockNs = 0;
    }

    /// <summary>TransactTime source: 0 reads the realtime clock; anything else is used as it is (tests, replay).</summary>
    public long FixedClockNs { get; set; }

    public readonly byte[] ClOrdIdPrefix => _prefix;

    public bool IsUp => _session.IsLoggedOn;

    private readonly long Now => FixedClockNs != 0 ? FixedClockNs : RealtimeClock.NowNs();

    public long SendNew(in OrderRecord order)
    {
        byte[]? symbol = _symbols.SymbolArray(order.Instrument);
        if (symbol is null) return 0;
        var m = new NewOrderSingle
        {
            ClOrdIdPrefix = _prefix, ClOrdId = order.ClientId, Account = _account, Symbol = symbol, Side = order.Side,
            Quantity = order.Quantity, Price = order.Price, Type = order.Type, TimeInForce = order.TimeInForce, TransactTimeNs = Now,
        };
        return _session.Send(ref m);
    }

    public long SendCancel(in OrderRecord order, ulong cancelId)
    {
        byte[]? symbol = _symbols.SymbolArray(order.Instrument);
        if (symbol is null) return 0;
        var m = new OrderCancelRequest
        {
            ClOrdIdPrefix = _prefix, OrigClOrdId = order.ClientId, ClOrdId = cancelId, Symbol = symbol, Side = order.Side,
            Quantity = order.Quantity, TransactTimeNs = Now,
        };
        return _session.Send(ref m);
    }

    public long SendReplace(in OrderRecord order, ulong replaceId, long quantity, long price)
    {
        byte[]? symbol = _symbols.SymbolArray(order.Instrument);
        if (symbol is null) return 0;
        var m = new OrderCancelReplaceRequest
        {
            ClOrdIdPrefix = _prefix, OrigClOrdId = order.ClientId, ClOrdId = replaceId, Symbol = symbol, Side = order.Side,
            Quantity = quantity, Price = price, Type = order.Type, TimeInForce = order.TimeInForce, TransactTimeNs = Now,
        };
        return _session.Send(ref m);
    }
}
