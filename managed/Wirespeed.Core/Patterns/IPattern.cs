using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Signals;

namespace Wirespeed.Core.Patterns;

/// <summary>An instrument on one feed line's books: books are per line, so the same symbol on two lines is two keys.</summary>
public readonly record struct InstrumentKey(byte Line, int Instrument);

/// <summary>
/// A pattern as code: a struct that owns its state (pre-allocated at construction) and is fed the events of its legs.
/// Held in a <see cref="PatternSet{TPattern}"/>, which is generic over it, so every call is direct.
/// </summary>
public interface IPattern
{
    /// <summary>Number of legs (instruments the pattern subscribes to).</summary>
    int LegCount { get; }

    /// <summary>The instrument of leg <paramref name="leg"/> (start-up only).</summary>
    InstrumentKey Leg(int leg);

    /// <summary>
    /// An event (TopOfBook or a trade) of leg <paramref name="leg"/>, on the worker thread. Returns true when the
    /// pattern fires, after filling Kind, Strength, Direction, Instrument/OtherInstrument and lines of
    /// <paramref name="signal"/>; the engine fills the rest. <paramref name="thresholdMultiplier"/> (≥ 1 widens)
    /// comes from the signal gate. Must not allocate or throw.
    /// </summary>
    bool OnEvent(ref MarketEvent evt, int leg, double thresholdMultiplier, ref Signal signal);
}

/// <summary>Reading quotes and trades from events.</summary>
public static class MarketData
{
    /// <summary>Mid price (Price(4) units) of a TopOfBook event; 0 when a side is empty or the event is no quote.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mid(ref MarketEvent evt)
    {
        long bid = evt.Price, ask = (long)evt.Aux;   // EventKind.TopOfBook: Price = best bid, Aux = best ask
        return evt.Kind == EventKind.TopOfBook && bid > 0 && ask > 0 ? (bid + ask) * 0.5 : 0;
    }

    /// <summary>True for events that are executions (displayed or not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsTrade(EventKind kind) => kind is EventKind.Trade or EventKind.OrderExecuted or EventKind.OrderExecutedWithPrice;

    /// <summary>
    /// Aggressor direction of a trade: +1 buyer-initiated, -1 seller-initiated, 0 unknown. The event's Side is the
    /// resting order's side (the book fills it in for executions; ITCH 5.0 Trade 'P' carries the non-displayed
    /// order's side), and the aggressor is on the other side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AggressorDirection(ref MarketEvent evt) => evt.Side == Side.Sell ? 1 : evt.Side == Side.Buy ? -1 : 0;
}
