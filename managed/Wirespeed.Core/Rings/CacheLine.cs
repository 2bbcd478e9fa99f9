namespace Wirespeed.Core.Rings;

/// <summary>Padding unit between fields written by different threads.</summary>
internal static class CacheLine
{
    /// <summary>Two cache lines: the adjacent-line prefetcher pulls pairs of 64-byte lines (Agrona uses 2x too).</summary>
    public const int PadBytes = 128;
}
