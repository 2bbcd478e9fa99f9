using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

// Applying events: add, reduce, delete, replace, stock directory; top-of-book change flags (book thread).
public sealed partial class OrderBookSet
{
    // ---------------------------------------------------------------- apply

    /// <summary>
    /// Applies one event. Sets <see cref="EventFlags.TopChanged"/> when the best bid or offer (price or size) of the
    /// event's instrument changed, and <see cref="EventFlags.BookStale"/> when that instrument's book is stale.
    /// For events that name an order (executions, cancel, delete, replace) it fills in <see cref="MarketEvent.Instrument"/>
    /// and <see cref="MarketEvent.Side"/> from the stored order, and for <see cref="EventKind.OrderExecuted"/> the
    /// resting price (the execution price) into <see cref="MarketEvent.Price"/>. Never throws on event content.
    /// </summary>
    public BookStatus Apply(ref MarketEvent evt)
    {
        BookStatus status;
        switch (evt.Kind)
        {
            case EventKind.AddOrder: status = Add(ref evt); break;
            case EventKind.OrderExecuted:
            case EventKind.OrderExecutedWithPrice:
            case EventKind.OrderCancel: status = Reduce(ref evt); break;
            case EventKind.OrderDelete: status = Delete(ref evt); break;
            case EventKind.OrderReplace: status = Replace(ref evt); break;
            case EventKind.Reference: status = ApplyReference(ref evt); break;
            default: status = BookStatus.NotBookEvent; break; // trades, crosses, broken trades, status: book untouched
        }
        _statusCounts[(int)status]++;
        int instrument = evt.Instrument;
        if ((uint)instrument < (uint)_stale.Length && _stale[instrument]) evt.Flags |= EventFlags.BookStale;
        return status;
    }

    private BookStatus Add(ref MarketEvent evt)
    {
        int instrument = evt.Instrument;
        if ((uint)instrument >= (uint)_maxInstruments) return BookStatus.UnknownInstrument;
        int side = SideIndex(evt.Side);
        if (side < 0) return BookStatus.InvalidSide;
        if (evt.Quantity <= 0) return BookStatus.InvalidQuantity;

        int book = instrument * 2 + side;
        ReadTop(book, out long topPrice, out long topShares);
        BookStatus status = Insert(evt.OrderId, instrument, evt.Side, side, evt.Price, evt.Quantity);
        FlagTopChange(ref evt, book, topPrice, topShares);
        return status;
    }

    private BookStatus Reduce(ref MarketEvent evt)
    {
        int slot = FindSlot(evt.OrderId);
        if (slot < 0) return BookStatus.UnknownOrder;
        if (evt.Quantity <= 0) return BookStatus.InvalidQuantity;

        ref OrderSlot order = ref _slots[slot];
        evt.Instrument = order.Instrument;
        evt.Side = order.Side;
        if (evt.Kind == EventKind.OrderExecuted) evt.Price = order.Price;

        int book = order.Instrument * 2 + SideIndex(order.Side);
        ReadTop(book, out long topPrice, out long topShares);
        BookStatus status = BookStatus.Applied;
        long shares = evt.Quantity;
        if (shares >= order.Shares)
        {
            // ITCH never executes or cancels more than is left; when a feed does, the order is gone either way.
            if (shares > order.Shares) status = BookStatus.AppliedClamped;
            RemoveOrder(slot);
        }
        else
        {
            order.Shares -= shares;
            if ((order.Flags & FlagInLevels) != 0) ReduceLevel(book, order.Price, shares, removesOrder: false);
        }
        FlagTopChange(ref evt, book, topPrice, topShares);
        return status;
    }

    private BookStatus Delete(ref MarketEvent evt)
    {
        int slot = FindSlot(evt.OrderId);
        if (slot < 0) return BookStatus.UnknownOrder;
        ref OrderSlot order = ref _slots[slot];
        evt.Instrument = order.Instrument;
        evt.Side = order.Side;
        int book = order.Instrument * 2 + SideIndex(order.Side);
        ReadTop(book, out long topPrice, out long topShares);
        RemoveOrder(slot);
        FlagTopChange(ref evt, book, topPrice, topShares);
        return BookStatus.Applied;
    }

    // ITCH 5.0 §4.4.5 Order Replace: the original is cancelled and a new order with a new reference takes its side and
    // instrument, at the back of the queue at its (possibly new) price. The original goes first, so a full store
    // always has room for the replacement. A replacement whose new reference is already live is refused
    // (DuplicateOrderId) after the original is gone: the exchange did cancel the original.
    private BookStatus Replace(ref MarketEvent evt)
    {
        int slot = FindSlot(evt.OrderId);
        if (slot < 0) return BookStatus.UnknownOrder;
        if (evt.Quantity <= 0) return BookStatus.InvalidQuantity;

        ref OrderSlot order = ref _slots[slot];
        int instrument = order.Instrument;
        Side side = order.Side;
        evt.Instrument = instrument;
        evt.Side = side;
        int sideIndex = SideIndex(side);
        int book = instrument * 2 + sideIndex;
        ReadTop(book, out long topPrice, out long topShares);
        RemoveOrder(slot);
        BookStatus status = Insert(evt.Aux, instrument, side, sideIndex, evt.Price, evt.Quantity);
        FlagTopChange(ref evt, book, topPrice, topShares);
        return status;
    }

    // Stock directory (ITCH 5.0 §4.2.1 'R'): OrderId = the 8 symbol bytes, Quantity = round lot. Other reference
    // messages carry no instrument table fields.
    private BookStatus ApplyReference(ref MarketEvent evt)
    {
        if (evt.Aux != (byte)'R') return BookStatus.NotBookEvent;
        int roundLot = evt.Quantity < 0 ? 0 : evt.Quantity > int.MaxValue ? int.MaxValue : (int)evt.Quantity;
        return Instruments.TrySet(evt.Instrument, evt.OrderId, roundLot) ? BookStatus.ReferenceApplied : BookStatus.UnknownInstrument;
    }

    private BookStatus Insert(ulong orderId, int instrument, Side side, int sideIndex, long price, long shares)
    {
        int slot = FindSlot(orderId);
        if (slot >= 0) return BookStatus.DuplicateOrderId;
        if (_liveOrders >= _maxOrders)
        {
            OrderAccount.CountExhausted();
            OnExhausted(instrument);
            return BookStatus.OrderPoolExhausted;
        }

        bool inLevels = AddToLevel(instrument * 2 + sideIndex, price, shares);
        ref OrderSlot free = ref _slots[~slot];
        free.OrderId = orderId;
        free.Price = price;
        free.Shares = shares;
        free.Instrument = instrument;
        free.Side = side;
        free.Flags = inLevels ? FlagInLevels : (byte)0;
        _liveOrders++;
        OrderAccount.SetUsed(_liveOrders);
        _ordersPerInstrument[instrument]++;
        if (inLevels) return BookStatus.Applied;
        LevelAccount.CountExhausted();
        OnExhausted(instrument);
        return BookStatus.LevelPoolExhausted;
    }

    private void RemoveOrder(int slot)
    {
        ref OrderSlot order = ref _slots[slot];
        if ((order.Flags & FlagInLevels) != 0)
            ReduceLevel(order.Instrument * 2 + SideIndex(order.Side), order.Price, order.Shares, removesOrder: true);
        _ordersPerInstrument[order.Instrument]--;
        _liveOrders--;
        OrderAccount.SetUsed(_liveOrders);
        DeleteSlot(slot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnExhausted(int instrument)
    {
        if (_policy == ExhaustionPolicy.CountAndMarkStale) _stale[instrument] = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SideIndex(Side side) => side == Side.Buy ? BidSide : side == Side.Sell ? AskSide : -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadTop(int book, out long price, out long shares)
    {
        int count = _levelCounts[book];
        if (count == 0)
        {
            price = 0;
            shares = 0;
            return;
        }
        ref PriceLevel top = ref _levels[book * _maxLevels + count - 1];
        price = top.Price;
        shares = top.Shares;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FlagTopChange(ref MarketEvent evt, int book, long priceBefore, long sharesBefore)
    {
        ReadTop(book, out long price, out long shares);
        if (price != priceBefore || shares != sharesBefore) evt.Flags |= EventFlags.TopChanged;
    }
}
