using System;
using Wirespeed.Core.Memory;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// The three term buffers of one publication or image plus a message-reassembly buffer, carved once from an arena at
/// start-up (AERON.md §B.9: index = termCount % 3). The only unsafe code of the Aeron folder: it holds the arena
/// pointer and hands out spans. <see cref="Reset"/> lets a slot serve another image of a smaller or equal term length.
/// Owned by one thread; the memory lives as long as the arena.
/// </summary>
public sealed unsafe class AeronTermLog
{
    private readonly byte* _terms;
    private readonly byte* _assembly;

    /// <summary>Start-up: carves 3 × <paramref name="capacityTermLength"/> plus the largest message from <paramref name="arena"/>.</summary>
    public AeronTermLog(Arena arena, int capacityTermLength)
    {
        ArgumentNullException.ThrowIfNull(arena);
        if (!AeronPosition.IsValidTermLength(capacityTermLength))
            throw new ArgumentException($"term length {capacityTermLength} must be a power of two from 64 KiB to 1 GiB.", nameof(capacityTermLength));
        CapacityTermLength = capacityTermLength;
        MaxMessageLength = AeronPosition.MaxMessageLength(capacityTermLength);
        _terms = arena.Allocate((long)AeronPosition.PartitionCount * capacityTermLength, 4096);
        _assembly = arena.Allocate(MaxMessageLength, 64);
        TermLength = capacityTermLength;
    }

    /// <summary>Bytes an arena needs for a log of this term length (alignment slack included).</summary>
    public static long ArenaBytes(int termLength) => (long)AeronPosition.PartitionCount * termLength + AeronPosition.MaxMessageLength(termLength) + 4096 + 64;

    public int CapacityTermLength { get; }
    public int MaxMessageLength { get; }
    /// <summary>The term length in use (≤ capacity).</summary>
    public int TermLength { get; private set; }

    /// <summary>Term buffer <paramref name="index"/> (0..2), <see cref="TermLength"/> bytes.</summary>
    public Span<byte> Term(int index) => new(_terms + (long)index * CapacityTermLength, TermLength);

    /// <summary>The buffer for the term with this count.</summary>
    public Span<byte> TermFor(long termCount) => Term(AeronPosition.PartitionIndex(termCount));

    /// <summary>Reassembly space for one fragmented message.</summary>
    public Span<byte> Assembly => new(_assembly, MaxMessageLength);

    /// <summary>Cold path: zeroes all three terms and switches to <paramref name="termLength"/> (≤ capacity).</summary>
    public void Reset(int termLength)
    {
        if (termLength > CapacityTermLength || !AeronPosition.IsValidTermLength(termLength))
            throw new ArgumentOutOfRangeException(nameof(termLength), $"term length {termLength} exceeds the log's {CapacityTermLength}.");
        TermLength = termLength;
        for (int i = 0; i < AeronPosition.PartitionCount; i++) Term(i).Clear();
    }
}
