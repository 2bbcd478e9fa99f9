using System;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Ingress;

/// <summary>
/// The feed lines one worker receives, as dense indices: line id (0-255, stamped on every packet and event) → its
/// position in the configured list. Built once at start-up; a lookup is one read of a 256-byte table. An id not listed
/// maps to 0 (sources stamp only the lines they were configured with).
/// </summary>
public readonly struct LineIndex
{
    private readonly byte[] _indexOf;

    /// <param name="lineIds">The line ids in configured order; at least one, none twice.</param>
    public LineIndex(ReadOnlySpan<byte> lineIds)
    {
        if (lineIds.Length == 0) throw new ArgumentException("at least one line", nameof(lineIds));
        _indexOf = new byte[256];
        for (int i = 0; i < lineIds.Length; i++)
        {
            for (int j = 0; j < i; j++)
                if (lineIds[j] == lineIds[i]) throw new ArgumentException($"line id {lineIds[i]} is listed twice", nameof(lineIds));
            _indexOf[lineIds[i]] = (byte)i;
        }
        Count = lineIds.Length;
    }

    /// <summary>Lines listed.</summary>
    public int Count { get; }

    /// <summary>Position of line <paramref name="lineId"/> in the configured list.</summary>
    public int this[byte lineId]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _indexOf[lineId];
    }
}
