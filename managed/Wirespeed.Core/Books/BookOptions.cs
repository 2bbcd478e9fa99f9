namespace Wirespeed.Core.Books;

/// <summary>What the book does when its order store or a side's price levels are full. Never a crash, never an allocation.</summary>
public enum ExhaustionPolicy : byte
{
    /// <summary>Count the refusal in the pool's <see cref="Memory.MemoryAccount"/> and mark the instrument's book stale, since
    /// it no longer matches the exchange's until recovery rebuilds it.</summary>
    CountAndMarkStale = 0,
    /// <summary>Count the refusal only; the book keeps its stale state as it was.</summary>
    CountOnly = 1,
}

/// <summary>Fixed capacities of one feed line's books; everything is reserved at construction.</summary>
public sealed record BookOptions
{
    /// <summary>Dense instrument ids 0..MaxInstruments-1 (ITCH stock locate codes). Default: 16384.</summary>
    public int MaxInstruments { get; init; } = 16384;

    /// <summary>Live orders across all instruments. The hash table holds twice this (rounded up to a power of two) so
    /// probes stay short. Default: 4,194,304 (a busy NASDAQ day peaks at a few million live orders).</summary>
    public int MaxLiveOrders { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most live orders one book set holds: 2^29 (its hash table, twice that, is 32 GiB of 32-byte slots).</summary>
    public const int MaxLiveOrdersLimit = 1 << 29;

    /// <summary>Distinct prices per side of each instrument. Default: 256.</summary>
    public int MaxLevelsPerSide { get; init; } = 256;

    /// <summary>Action on exhaustion of orders or levels. Default: CountAndMarkStale.</summary>
    public ExhaustionPolicy Exhaustion { get; init; } = ExhaustionPolicy.CountAndMarkStale;

    /// <summary>Prefix of the memory account names ("book.orders", "book.levels"). Default: "book".</summary>
    public string Name { get; init; } = "book";

    /// <summary>Throws <see cref="System.ArgumentException"/> naming the field and the fix when a value is out of range.</summary>
    public BookOptions Validated()
    {
        if (MaxInstruments < 1 || MaxInstruments > 1 << 20)
            ThrowHelper.Argument(nameof(MaxInstruments), $"book.{nameof(MaxInstruments)}={MaxInstruments} must be 1..1048576 (ITCH stock locate is 16 bits: 65536 is always enough).");
        if (MaxLiveOrders < 1 || MaxLiveOrders > MaxLiveOrdersLimit)
            ThrowHelper.Argument(nameof(MaxLiveOrders), $"book.{nameof(MaxLiveOrders)}={MaxLiveOrders} must be 1..{MaxLiveOrdersLimit}.");
        if (MaxLevelsPerSide < 1 || MaxLevelsPerSide > 1 << 20)
            ThrowHelper.Argument(nameof(MaxLevelsPerSide), $"book.{nameof(MaxLevelsPerSide)}={MaxLevelsPerSide} must be 1..1048576.");
        if ((long)MaxInstruments * 2 * MaxLevelsPerSide > int.MaxValue)
            ThrowHelper.Argument(nameof(MaxLevelsPerSide), $"book.{nameof(MaxInstruments)} x 2 x book.{nameof(MaxLevelsPerSide)} = {(long)MaxInstruments * 2 * MaxLevelsPerSide} levels exceeds {int.MaxValue}: lower one of them.");
        if (string.IsNullOrEmpty(Name))
            ThrowHelper.Argument(nameof(Name), $"book.{nameof(Name)} must not be empty.");
        return this;
    }
}
