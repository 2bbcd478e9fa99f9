using System.Collections.Generic;
using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;

namespace Wirespeed.Tests.Core.Orders;

/// <summary>What a <see cref="RecordingGateway"/> was asked to send.</summary>
internal readonly record struct SentOrder(OrderRequestKind Kind, long Sequence, ulong Id, ulong OrigId, int Instrument, Side Side, long Quantity, long Price);

/// <summary>The shared state of a <see cref="RecordingGateway"/>: up or down, what was sent, and a send that fails on demand.</summary>
internal sealed class GatewayLog
{
    public bool Up = true;
    public bool Fail;
    public long Sequence;
    public readonly List<SentOrder> Sent = new();
    public SentOrder Last => Sent[^1];
}

/// <summary>A gateway that records each request and numbers it like a session would.</summary>
internal readonly struct RecordingGateway : IOrderGateway
{
    public readonly GatewayLog Log;

    public RecordingGateway(GatewayLog log) => Log = log;

    public bool IsUp => Log.Up;

    private long Record(OrderRequestKind kind, ulong id, ulong orig, in OrderRecord o, long qty, long price)
    {
        if (Log.Fail) return 0;
        long seq = ++Log.Sequence;
        Log.Sent.Add(new SentOrder(kind, seq, id, orig, o.Instrument, o.Side, qty, price));
        return seq;
    }

    public long SendNew(in OrderRecord order) => Record(OrderRequestKind.New, order.ClientId, 0, order, order.Quantity, order.Price);
    public long SendCancel(in OrderRecord order, ulong cancelId) => Record(OrderRequestKind.Cancel, cancelId, order.ClientId, order, order.Quantity, order.Price);
    public long SendReplace(in OrderRecord order, ulong replaceId, long quantity, long price) =>
        Record(OrderRequestKind.Replace, replaceId, order.ClientId, order, quantity, price);
}

/// <summary>Helpers shared by the order tests.</summary>
internal static class Orders
{
    public static readonly RiskLimits Loose = new()
    {
        MaxOrderQuantity = 1_000_000, MaxOrderNotional = 1_000_000_000, MaxOpenOrdersPerInstrument = 100,
        MaxPositionPerInstrument = 10_000_000, OrdersPerSecond = 1_000_000, OrderBurst = 1_000_000, PriceBandBps = 500,
        OrderSlots = 16, MaxInstruments = 8,
    };

    /// <summary>A limit order at 100.00 with the book 99.99 / 100.01.</summary>
    public static OrderRequest Limit(int instrument = 1, Side side = Side.Buy, long qty = 100, long price = 1_000_000) => new()
    {
        Instrument = instrument, Side = side, Type = OrderType.Limit, TimeInForce = TimeInForce.Day, Quantity = qty,
        Price = price, ReferenceBid = 999_900, ReferenceAsk = 1_000_100, PatternId = -1,
    };

    public static OrderManager<RecordingGateway> Manager(out GatewayLog log, RiskLimits? limits = null, KillSwitch? kill = null, CancelAllRequest? cancel = null)
    {
        log = new GatewayLog();
        return new OrderManager<RecordingGateway>(new RecordingGateway(log), limits ?? Loose, kill, cancel);
    }

    public static ExecutionReport Exec(ulong id, ExecKind kind, long cum = 0, long leaves = 0, long last = 0, ulong orig = 0) => new()
    {
        ClientId = id, OrigClientId = orig, Kind = kind, CumQty = cum, LeavesQty = leaves, LastQty = last, LastPx = 1_000_000,
    };
}
