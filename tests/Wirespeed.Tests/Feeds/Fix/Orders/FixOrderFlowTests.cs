using System;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;
using Wirespeed.Feeds.Fix.Orders;
using Wirespeed.Feeds.Sim;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix.Orders;

/// <summary>
/// Orders end to end over the seam: the order manager sends D/F/G through a loopback session to the in-memory matching
/// counterparty, whose 8 and 9 come back parsed and drive the state machine through every transition.
/// </summary>
public sealed class FixOrderFlowTests
{
    private readonly LoopbackLink _link = new();
    private readonly FixOrderMatcher _matcher = new();
    private readonly FixParser _parser = new(FixDictionary.Default);
    private readonly FixOrderFlow<LoopbackSession> _flow;
    private readonly KillSwitch _kill = new();

    private static readonly RiskLimits Limits = new()
    {
        MaxOrderQuantity = 10_000, MaxOrderNotional = 10_000_000, OrdersPerSecond = 1_000_000, OrderBurst = 1_000_000,
        PriceBandBps = 500, OrderSlots = 64, MaxInstruments = 4,
    };

    public FixOrderFlowTests()
    {
        _link.Counterparty = _matcher;
        var symbols = new FixSymbolTable(4);
        symbols.Add(1, "MSFT");
        symbols.Add(2, "ORCL");
        var gateway = new FixOrderGateway<LoopbackSession>(new LoopbackSession(_link), symbols, "WS", account: "ACC1") { FixedClockNs = LoopbackLink.SendingTimeNs };
        _flow = new FixOrderFlow<LoopbackSession>(gateway, Limits, _kill);
    }

    private OrderManager<FixOrderGateway<LoopbackSession>> M => _flow.Manager;

    /// <summary>Hands the counterparty's answers back, as the session would.</summary>
    private int Pump()
    {
        int n = 0;
        while (_matcher.Outbox.TryDequeue(out var bytes))
        {
            Assert.Equal(FixStatus.Ok, _parser.Parse(bytes, out var v));
            Assert.True(_flow.OnMessage(v));
            n++;
        }
        return n;
    }

    private int Submit(MatchBehaviour behaviour, long qty = 100, int instrument = 1)
    {
        _matcher.Next(behaviour);
        var r = new OrderRequest
        {
            Instrument = instrument, Side = Side.Buy, Type = OrderType.Limit, TimeInForce = TimeInForce.Day, Quantity = qty,
            Price = 1_000_000, ReferenceBid = 999_900, ReferenceAsk = 1_000_100,
        };
        Assert.Equal(RiskReject.None, M.Submit(r, 0));
        Pump();
        return M.LastSlot;
    }

    private string WireId(ulong id) => "WS" + id;

    [Fact]
    public void An_acknowledged_order_is_new_and_the_wire_carries_a_D()
    {
        int slot = Submit(MatchBehaviour.AckOnly);
        Assert.Equal(OrderState.New, M.Order(slot).State);
        Assert.Contains($"35=D|", _link.LastText);
        Assert.Contains($"|11={WireId(M.Order(slot).ClientId)}|1=ACC1|55=MSFT|54=1|", _link.LastText);
        Assert.Equal(0, M.Counters.IllegalTransitions + M.Counters.UnknownOrder + _flow.Counters.Malformed);
    }

    [Fact]
    public void Pending_then_ack_fill_partial_fill_and_reject()
    {
        int pending = Submit(MatchBehaviour.PendingThenAck);
        Assert.Equal(OrderState.New, M.Order(pending).State);
        int filled = Submit(MatchBehaviour.Fill);
        Assert.Equal(OrderState.Filled, M.Order(filled).State);
        int partial = Submit(MatchBehaviour.PartialFill);
        Assert.Equal(OrderState.PartiallyFilled, M.Order(partial).State);
        Assert.Equal(50, M.Order(partial).CumQty);
        Assert.True(_matcher.Fill(WireId(M.Order(partial).ClientId), 50));
        Pump();
        Assert.Equal(OrderState.Filled, M.Order(partial).State);
        int rejected = Submit(MatchBehaviour.Reject);
        Assert.Equal(OrderState.Rejected, M.Order(rejected).State);
        Assert.Equal(200, M.Position(1));
        Assert.Equal((3L, 2L, 1L, 1L), (M.Counters.Acknowledged, M.Counters.Filled, M.Counters.PartialFills, M.Counters.Rejected));
        Assert.Equal(0, M.Counters.IllegalTransitions);
    }

    [Fact]
    public void Cancel_and_replace_round_trip_through_F_and_G()
    {
        int slot = Submit(MatchBehaviour.AckOnly);
        ulong first = M.Order(slot).ClientId;
        Assert.Equal(RiskReject.None, M.Replace(slot, 300, 1_000_100, 999_900, 1_000_100, 0));
        Assert.Contains($"35=G|", _link.LastText);
        Assert.Contains($"|41={WireId(first)}|11={WireId(M.Order(slot).PendingId)}|", _link.LastText);
        Pump();
        Assert.Equal(OrderState.New, M.Order(slot).State);
        Assert.Equal(300, M.Order(slot).Quantity);
        Assert.Equal(RiskReject.None, M.Cancel(slot));
        Assert.Contains($"35=F|", _link.LastText);
        Pump();
        Assert.Equal(OrderState.Canceled, M.Order(slot).State);
        Assert.Equal((1L, 1L), (M.Counters.Replaced, M.Counters.Canceled));
        Assert.Equal(0, M.Counters.IllegalTransitions);
        Assert.Equal(0, _matcher.LiveOrders);
    }

    [Fact]
    public void A_partially_filled_order_replaced_stays_partially_filled()
    {
        int slot = Submit(MatchBehaviour.PartialFill);
        M.Replace(slot, 80, 1_000_000, 999_900, 1_000_100, 0);
        Pump();
        Assert.Equal(OrderState.PartiallyFilled, M.Order(slot).State);
        Assert.Equal(30, M.Order(slot).LeavesQty);
    }

    [Fact]
    public void A_cancel_the_counterparty_refuses_returns_the_order_to_work()
    {
        int slot = Submit(MatchBehaviour.AckOnly);
        _matcher.Fill(WireId(M.Order(slot).ClientId), 100);   // fills on the venue, the fill still on its way
        var fill = _matcher.Outbox.Dequeue();
        M.Cancel(slot);
        Pump();                                             // cancel refused: too late
        Assert.Equal(OrderState.New, M.Order(slot).State);
        Assert.Equal(1, M.Counters.CancelRejects);
        Assert.Equal(FixStatus.Ok, _parser.Parse(fill, out var v));
        _flow.OnMessage(v);
        Assert.Equal(OrderState.Filled, M.Order(slot).State);
    }

    [Fact]
    public void Cancel_on_disconnect_settles_against_a_venue_that_cancelled_everything()
    {
        int a = Submit(MatchBehaviour.AckOnly);
        int b = Submit(MatchBehaviour.PartialFill, instrument: 2);
        _link.LoggedOn = false;
        _matcher.Disconnect();
        M.DoWork(0);
        Assert.Equal(OrderState.PendingCancel, M.Order(a).State);
        Assert.Equal(OrderState.PendingCancel, M.Order(b).State);
        _link.LoggedOn = true;
        Assert.Equal(2, M.DoWork(0));
        Pump();                                             // 9 with CxlRejReason 1, unknown order
        Assert.Equal(OrderState.Canceled, M.Order(a).State);
        Assert.Equal(OrderState.Canceled, M.Order(b).State);
        Assert.Equal(0, M.OpenOrders(1) + M.OpenOrders(2));
        Assert.Equal(50, M.Position(2));
    }

    [Fact]
    public void A_breaker_halt_puts_cancels_on_the_wire_and_blocks_new_orders()
    {
        Submit(MatchBehaviour.AckOnly);
        Submit(MatchBehaviour.AckOnly, instrument: 2);
        int sent = _link.Sent.Count;
        new KillSwitchBreakerActions(_kill, M.CancelAllRequests).CancelAll(new BreakerTransition { To = BreakerLevel.Halted });
        Assert.Equal(2, M.DoWork(0));
        Assert.Equal(sent + 2, _link.Sent.Count);
        Assert.Contains("35=F|", Text(_link.Sent[sent]));
        Pump();
        Assert.Equal(2, M.Counters.Canceled);
        var r = new OrderRequest { Instrument = 1, Side = Side.Buy, Type = OrderType.Limit, TimeInForce = TimeInForce.Day, Quantity = 1, Price = 1_000_000, ReferenceBid = 999_900, ReferenceAsk = 1_000_100 };
        Assert.Equal(RiskReject.KillSwitch, M.Submit(r, 0));
        Assert.Equal(sent + 2, _link.Sent.Count);
    }

    [Fact]
    public void A_session_reject_found_by_RefSeqNum_rejects_the_new_order()
    {
        int slot = Submit(MatchBehaviour.Silent);
        long seq = M.Order(slot).RequestSequence;
        Assert.True(_flow.OnMessage(Parse($"35=3|{Header44}45={seq}|372=D|373=5|58=Value is incorrect|")));
        Assert.Equal(OrderState.Rejected, M.Order(slot).State);
        Assert.Equal(1, M.Counters.SessionRejects);
    }

    [Fact]
    public void A_business_reject_found_by_its_reference_id_rejects_the_new_order()
    {
        int slot = Submit(MatchBehaviour.Silent);
        Assert.True(_flow.OnMessage(Parse($"35=j|{Header44}372=D|379={WireId(M.Order(slot).ClientId)}|380=3|")));
        Assert.Equal(OrderState.Rejected, M.Order(slot).State);
        Assert.Equal(1, M.Counters.BusinessRejects);
    }

    [Fact]
    public void Rejects_of_other_messages_and_malformed_answers_are_counted_not_applied()
    {
        int slot = Submit(MatchBehaviour.Silent);
        Assert.True(_flow.OnMessage(Parse($"35=3|{Header44}45=1|372=V|")));
        Assert.True(_flow.OnMessage(Parse($"35=j|{Header44}372=D|380=3|")));                 // names nothing
        Assert.Equal(2, _flow.Counters.NotAboutOrders);
        Assert.True(_flow.OnMessage(Parse($"35=8|{Header44}37=1|17=1|150=0|39=0|54=1|14=x|6=0|151=0|", keep: true)));  // CumQty not a number
        Assert.True(_flow.OnMessage(Parse($"35=8|{Header44}37=1|11={WireId(M.Order(slot).ClientId)}|17=1|150=;|39=0|54=1|14=0|6=0|151=0|")));
        Assert.True(_flow.OnMessage(Parse($"35=9|{Header44}37=1|11=WS5|39=8|434=1|41=WS4|", drop41: true)));
        Assert.Equal(2, _flow.Counters.Malformed);
        Assert.Equal(OrderState.PendingNew, M.Order(slot).State);
        Assert.False(_flow.OnMessage(Parse($"35=0|{Header44}")));
        Assert.False(_flow.OnMessage(Parse($"35=W|{Header44}268=0|")));
        var twoChar = new FixParser(new FixDictionary(new[] { new FixMessageDef("XX", Array.Empty<int>(), Array.Empty<int>()) }));
        Assert.Equal(FixStatus.Ok, twoChar.Parse(Msg($"35=XX|{Header44}"), out var xx));
        Assert.False(_flow.OnMessage(xx));
        Assert.Equal(1, M.Counters.UnsupportedReports);
    }

    [Fact]
    public void Reports_for_ids_without_our_prefix_are_unknown()
    {
        Submit(MatchBehaviour.Silent);
        Assert.True(_flow.OnMessage(Parse($"35=8|{Header44}37=1|11=OTHER1|17=1|150=0|39=0|54=1|14=0|6=0|151=100|32=0|31=0|")));
        Assert.Equal(1, M.Counters.UnknownOrder);
    }

    [Fact]
    public void A_fill_report_carries_its_last_quantity_and_price()
    {
        Assert.True(FixExecutionReader.TryRead(Parse($"35=8|{Header44}37=1|11=WS7|41=WS6|17=1|150=F|39=1|54=1|14=30|6=12.5|151=70|32=30|31=12.5|"), "WS"u8, out var r));
        Assert.Equal(new ExecutionReport { ClientId = 7, OrigClientId = 6, Kind = ExecKind.Trade, CumQty = 30, LeavesQty = 70, LastQty = 30, LastPx = 125_000 }, r);
    }

    [Theory]
    [InlineData('0', ExecKind.New)]
    [InlineData('1', ExecKind.Trade)]
    [InlineData('2', ExecKind.Trade)]
    [InlineData('F', ExecKind.Trade)]
    [InlineData('3', ExecKind.Expired)]
    [InlineData('C', ExecKind.Expired)]
    [InlineData('4', ExecKind.Canceled)]
    [InlineData('5', ExecKind.Replaced)]
    [InlineData('6', ExecKind.PendingCancel)]
    [InlineData('8', ExecKind.Rejected)]
    [InlineData('A', ExecKind.PendingNew)]
    [InlineData('D', ExecKind.Restated)]
    [InlineData('E', ExecKind.PendingReplace)]
    [InlineData('I', ExecKind.OrderStatus)]
    [InlineData('7', ExecKind.Unsupported)]
    [InlineData('H', ExecKind.Unsupported)]
    public void ExecType_maps_to_the_state_machine_input(char execType, ExecKind kind) => Assert.Equal(kind, FixExecutionReader.KindOf((byte)execType));

    private FixView Parse(string body, bool keep = false, bool drop41 = false)
    {
        if (drop41) body = body.Replace("41=WS4|", "");
        var parser = keep ? new FixParser(FixDictionary.Default, new FixParserOptions { CheckRequired = false }) : _parser;
        var bytes = Msg(body);
        var s = parser.Parse(bytes, out var v);
        Assert.True(s == FixStatus.Ok || keep || drop41, $"{s} {parser.ErrorTag}");
        return v;
    }
}
