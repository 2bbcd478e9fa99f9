using Wirespeed.Core.Events;

namespace Wirespeed.Tests.Core.Books;

/// <summary>Builds book events with the field use of <see cref="EventKind"/>.</summary>
internal static class BookEvents
{
    public static MarketEvent Add(ulong orderId, int instrument, Side side, long price, long shares) =>
        new() { Kind = EventKind.AddOrder, OrderId = orderId, Instrument = instrument, Side = side, Price = price, Quantity = shares };

    // ITCH executions, cancels, deletes and replaces carry no side; the decoder sets the locate code as instrument.
    public static MarketEvent Executed(ulong orderId, long shares, ulong match = 1) =>
        new() { Kind = EventKind.OrderExecuted, OrderId = orderId, Quantity = shares, Aux = match, Instrument = -1 };

    public static MarketEvent ExecutedWithPrice(ulong orderId, long shares, long price, ulong match = 1) =>
        new() { Kind = EventKind.OrderExecutedWithPrice, OrderId = orderId, Quantity = shares, Price = price, Aux = match, Instrument = -1 };

    public static MarketEvent Cancel(ulong orderId, long shares) =>
        new() { Kind = EventKind.OrderCancel, OrderId = orderId, Quantity = shares, Instrument = -1 };

    public static MarketEvent Delete(ulong orderId) =>
        new() { Kind = EventKind.OrderDelete, OrderId = orderId, Instrument = -1 };

    public static MarketEvent Replace(ulong orderId, ulong newOrderId, long shares, long price) =>
        new() { Kind = EventKind.OrderReplace, OrderId = orderId, Aux = newOrderId, Quantity = shares, Price = price, Instrument = -1 };

    public static MarketEvent Trade(int instrument, Side side, long price, long shares) =>
        new() { Kind = EventKind.Trade, Instrument = instrument, Side = side, Price = price, Quantity = shares, Aux = 99 };

    public static MarketEvent Of(EventKind kind, int instrument) => new() { Kind = kind, Instrument = instrument };
}
