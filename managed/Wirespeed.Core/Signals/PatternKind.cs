namespace Wirespeed.Core.Signals;

/// <summary>The built-in pattern kinds.</summary>
public enum PatternKind : byte
{
    None = 0,
    /// <summary>z-score of the log spread ln A − β·ln B over a rolling window. Legs: A, B.</summary>
    PairSpread = 1,
    /// <summary>The leader moves more than MoveBps within WithinUs while no follower moved half as much. Legs: leader, followers.</summary>
    LeadLag = 2,
    /// <summary>The same instrument's best bid on one book above the best ask on another, net of costs. Legs: two books.</summary>
    Arbitrage = 3,
    /// <summary>z-score of ln target − ln Σ wᵢ·componentᵢ over a rolling window. Legs: target, components.</summary>
    Basket = 4,
    /// <summary>Count trades in one aggressor direction in a row, within WithinUs. Legs: one.</summary>
    Momentum = 5,
    /// <summary>Pattern First fires, then pattern Then fires within WithinUs. No legs.</summary>
    Sequence = 6,
    /// <summary>A pattern supplied as code (a struct implementing <c>Patterns.IPattern</c>).</summary>
    Custom = 7,
}

/// <summary>Where a pattern worker's detection timestamp comes from.</summary>
public enum PatternClock : byte
{
    /// <summary>The monotonic clock when the pattern fires (production, latency measurement).</summary>
    Monotonic = 0,
    /// <summary>The triggering event's receive timestamp: replay and tests give byte-identical signals.</summary>
    Virtual = 1,
}
