using System.Runtime.InteropServices;

namespace Wirespeed.Core.Rings;

/// <summary>
/// One cursor of a <see cref="SpmcBroadcast{T}"/>, a full <see cref="CacheLine.PadBytes"/> long so cursors written by
/// different threads never share a line pair. The broadcast keeps them in one array:
/// <code>
///   [ pad ][ producer ][ consumer 0 ][ consumer 1 ] ... [ consumer n-1 ][ pad ]    each PadBytes long
/// </code>
/// The leading and trailing pads keep the array header and the next heap object off the first and last cursor.
/// Explicit layout: the runtime may not reorder or shrink it.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = CacheLine.PadBytes)]
internal struct BroadcastCursor
{
    /// <summary>Producer: published tail (exclusive). Consumer: next sequence it will read. Written by its owner only.</summary>
    [FieldOffset(0)] public long Sequence;
    /// <summary>Owner-private cache. Producer: slowest consumer's sequence when last looked at. Consumer: tail when last looked at.</summary>
    [FieldOffset(8)] public long Cache;
    /// <summary>Producer only: next sequence to claim (tail plus claimed-but-unpublished slots).</summary>
    [FieldOffset(16)] public long Claim;
}
