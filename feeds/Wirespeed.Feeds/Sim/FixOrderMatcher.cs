/*
 * An in-memory order-matching counterparty for the FIX order flow: it reads NewOrderSingle (D), OrderCancelRequest (F)
 * and OrderCancelReplaceRequest (G) as whole FIX messages and answers with ExecutionReports (8) and
 * OrderCancelRejects (9) as whole FIX messages, written with the same parser and writer as the engine's. It has no
 * transport: the caller hands it bytes and takes its answers from a queue, so tests (and later the demo's acceptor)
 * can drive every transition of the order state machine end to end. It is a test and demo counterparty, not a hot
 * path: it keeps its orders in a dictionary and allocates freely.
 *
 * Behaviour for new orders is chosen by the caller per order (Next) or by default (Default): acknowledge only, fill
 * at once, fill half then wait, reject, or acknowledge as pending first. Cancels and replaces of live orders are
 * acknowledged as pending, then done; of unknown or finished orders they are refused with CxlRejReason 1 or 0.
 * Disconnect() forgets every order, as a venue with cancel-on-disconnect does.
 */
using System;
using System.Collections.Generic;
using System.Text;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;

namespace Wirespeed.Feeds.Sim;

/// <summary>How the matcher answers a new order.</summary>
public enum MatchBehaviour : byte
{
    /// <summary>150=0 New, then nothing until a cancel, replace or <see cref="FixOrderMatcher.Fill"/>.</summary>
    AckOnly = 0,
    /// <summary>150=0, then one fill of the whole quantity at the limit price.</summary>
    Fill = 1,
    /// <summary>150=0, then a fill of half the quantity; the rest rests.</summary>
    PartialFill = 2,
    /// <summary>150=8 Rejected.</summary>
    Reject = 3,
    /// <summary>150=A PendingNew, then 150=0.</summary>
    PendingThenAck = 4,
    /// <summary>No answer at all (the order stays pending new on the other side).</summary>
    Silent = 5,
}

/// <summary>The in-memory counterparty. See the file-top comment.</summary>
public sealed class FixOrderMatcher
{
    private sealed class Order
    {
        public string ClOrdId = "";
        public string Symbol = "";
        public byte Side;
        public long Quantity;
        public long Price;     // 4 decimals
        public long Cum;
        public bool Done;
        public long OrderId;
    }

    private readonly FixParser _parser = new(FixDictionary.Default);
    private readonly FixApplicationEncoder _encoder;
    private readonly Dictionary<string, Order> _byClOrdId = new();
    private readonly Queue<MatchBehaviour> _next = new();
    private readonly byte[] _buffer = new byte[4096];
    private long _seq;
    private long _orderIds;
    private long _execIds;

    public FixOrderMatcher(string beginString = "FIX.4.4", string senderCompId = "MATCHER", string targetCompId = "WIRESPEED")
        => _encoder = new FixApplicationEncoder(beginString, senderCompId, targetCompId);

    /// <summary>Answers not yet taken, oldest first, each one whole FIX message.</summary>
    public Queue<byte[]> Outbox { get; } = new();
    /// <summary>Behaviour of new orders when <see cref="Next"/> is empty. Default: AckOnly.</summary>
    public MatchBehaviour Default { get; set; } = MatchBehaviour.AckOnly;
    /// <summary>Messages it could not use (bad framing, wrong type, missing fields).</summary>
    public int Refused { get; private set; }
    /// <summary>Live orders it holds.</summary>
    public int LiveOrders
    {
        get
        {
            var live = new HashSet<Order>();
            foreach (var o in _byClOrdId.Values) if (!o.Done) live.Add(o);
            return live.Count;
        }
    }

    /// <summary>The behaviour of the next new order (queued: one per order).</summary>
    public void Next(MatchBehaviour behaviour) => _next.Enqueue(behaviour);

    /// <summary>Forgets every order (cancel-on-disconnect on the venue's side).</summary>
    public void Disconnect() => _byClOrdId.Clear();

    /// <summary>Reads one message (D, F or G) and queues its answers.</summary>
    public void Receive(ReadOnlySpan<byte> message)
    {
        if (_parser.Parse(message, out var v) != FixStatus.Ok) { Refused++; return; }
        var type = v.MsgType;
        if (type.Length != 1) { Refused++; return; }
        switch (type[0])
        {
            case (byte)'D': New(in v); break;
            case (byte)'F': Cancel(in v); break;
            case (byte)'G': Replace(in v); break;
            default: Refused++; break;
        }
    }

    /// <summary>Fills <paramref name="quantity"/> more of the live order known as <paramref name="clOrdId"/>.</summary>
    public bool Fill(string clOrdId, long quantity)
    {
        if (!_byClOrdId.TryGetValue(clOrdId, out var o) || o.Done) return false;
        Trade(o, Math.Min(quantity, o.Quantity - o.Cum));
        return true;
    }

    private void New(in FixView v)
    {
        if (!v.TryGet(11, out var id) || !v.TryGet(55, out var sym) || v.TryGetChar(54, out byte side) != FixStatus.Ok
            || v.TryGetFixed(38, 0, out long qty) != FixStatus.Ok) { Refused++; return; }
        long price = v.TryGetFixed(44, 4, out long p) == FixStatus.Ok ? p : 0;
        var o = new Order { ClOrdId = S(id), Symbol = S(sym), Side = side, Quantity = qty, Price = price, OrderId = ++_orderIds };
        var behaviour = _next.Count > 0 ? _next.Dequeue() : Default;
        switch (behaviour)
        {
            case MatchBehaviour.Silent:
                _byClOrdId[o.ClOrdId] = o;
                return;
            case MatchBehaviour.Reject:
                o.Done = true;
                Report(o, (byte)'8', (byte)'8', 0, 0, null);
                return;
            case MatchBehaviour.PendingThenAck:
                Report(o, (byte)'A', (byte)'A', 0, 0, null);
                break;
        }
        _byClOrdId[o.ClOrdId] = o;
        Report(o, (byte)'0', (byte)'0', 0, 0, null);
        if (behaviour == MatchBehaviour.Fill) Trade(o, o.Quantity);
        else if (behaviour == MatchBehaviour.PartialFill) Trade(o, o.Quantity / 2);
    }

    private void Cancel(in FixView v)
    {
        if (!v.TryGet(11, out var id) || !v.TryGet(41, out var orig)) { Refused++; return; }
        string cancelId = S(id), origId = S(orig);
        if (!_byClOrdId.TryGetValue(origId, out var o) || o.Done) { CancelReject(cancelId, origId, o is null ? 1 : 0, '1'); return; }
        string prior = o.ClOrdId;
        o.ClOrdId = cancelId;
        Report(o, (byte)'6', (byte)'6', 0, 0, prior);
        o.Done = true;
        Report(o, (byte)'4', (byte)'4', 0, 0, prior);
        _byClOrdId[cancelId] = o;
    }

    private void Replace(in FixView v)
    {
        if (!v.TryGet(11, out var id) || !v.TryGet(41, out var orig) || v.TryGetFixed(38, 0, out long qty) != FixStatus.Ok) { Refused++; return; }
        string newId = S(id), origId = S(orig);
        if (!_byClOrdId.TryGetValue(origId, out var o) || o.Done || qty <= o.Cum) { CancelReject(newId, origId, o is null ? 1 : 0, '2'); return; }
        string prior = o.ClOrdId;
        o.ClOrdId = newId;
        Report(o, (byte)'E', (byte)'E', 0, 0, prior);
        o.Quantity = qty;
        if (v.TryGetFixed(44, 4, out long p) == FixStatus.Ok) o.Price = p;
        Report(o, (byte)'5', o.Cum > 0 ? (byte)'1' : (byte)'0', 0, 0, prior);
        _byClOrdId[newId] = o;
    }

    private void Trade(Order o, long quantity)
    {
        if (quantity <= 0) return;
        o.Cum += quantity;
        bool full = o.Cum >= o.Quantity;
        if (full) o.Done = true;
        Report(o, (byte)'F', full ? (byte)'2' : (byte)'1', quantity, o.Price, null);
    }

    private void Report(Order o, byte execType, byte ordStatus, long lastQty, long lastPx, string? origClOrdId)
    {
        var m = new ExecutionReportMessage
        {
            OrderId = o.OrderId, ExecId = ++_execIds, ClOrdId = Encoding.ASCII.GetBytes(o.ClOrdId),
            OrigClOrdId = origClOrdId is null ? null : Encoding.ASCII.GetBytes(origClOrdId), ExecType = execType, OrdStatus = ordStatus,
            Symbol = Encoding.ASCII.GetBytes(o.Symbol), Side = o.Side, Quantity = o.Quantity, Price = o.Price, Cum = o.Cum,
            Leaves = o.Done ? 0 : o.Quantity - o.Cum, LastQty = lastQty, LastPx = lastPx,
        };
        Emit(ref m);
    }

    private void CancelReject(string clOrdId, string origClOrdId, int reason, char responseTo)
    {
        var m = new CancelRejectMessage { ClOrdId = Encoding.ASCII.GetBytes(clOrdId), OrigClOrdId = Encoding.ASCII.GetBytes(origClOrdId), Reason = reason, ResponseTo = (byte)responseTo };
        Emit(ref m);
    }

    private void Emit<T>(ref T message) where T : struct, IFixApplicationMessage
    {
        var status = _encoder.Encode(_buffer, ref message, ++_seq, 1_700_000_000_000_000_000, out int length);
        if (status != FixStatus.Ok) throw new InvalidOperationException($"matcher could not encode its answer: {status}");
        Outbox.Enqueue(_buffer.AsSpan(0, length).ToArray());
    }

    private static string S(ReadOnlySpan<byte> v) => Encoding.ASCII.GetString(v);

    private struct ExecutionReportMessage : IFixApplicationMessage
    {
        public long OrderId, ExecId, Quantity, Price, Cum, Leaves, LastQty, LastPx;
        public byte[] ClOrdId, Symbol;
        public byte[]? OrigClOrdId;
        public byte ExecType, OrdStatus, Side;

        public readonly ReadOnlySpan<byte> MsgType => "8"u8;

        public readonly void WriteBody(ref FixWriter w)
        {
            w.Int(37, OrderId);
            w.Bytes(11, ClOrdId);
            if (OrigClOrdId is not null) w.Bytes(41, OrigClOrdId);
            w.Int(17, ExecId);
            w.Char(150, ExecType);
            w.Char(39, OrdStatus);
            w.Bytes(55, Symbol);
            w.Char(54, Side);
            w.Int(38, Quantity);
            if (Price != 0) w.Fixed(44, Price, 4);
            if (LastQty > 0)
            {
                w.Int(32, LastQty);
                w.Fixed(31, LastPx, 4);
            }
            w.Int(151, Leaves);
            w.Int(14, Cum);
            w.Fixed(6, Cum > 0 ? Price : 0, 4);
        }
    }

    private struct CancelRejectMessage : IFixApplicationMessage
    {
        public byte[] ClOrdId, OrigClOrdId;
        public int Reason;
        public byte ResponseTo;

        public readonly ReadOnlySpan<byte> MsgType => "9"u8;

        public readonly void WriteBody(ref FixWriter w)
        {
            w.Bytes(37, "NONE"u8);
            w.Bytes(11, ClOrdId);
            w.Bytes(41, OrigClOrdId);
            w.Char(39, (byte)'8');
            w.Char(434, ResponseTo);
            w.Int(102, Reason);
        }
    }
}
