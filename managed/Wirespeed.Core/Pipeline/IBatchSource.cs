using Wirespeed.Core.Events;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// What a worker polls for events: a ring from the previous worker, a packet source plus decoder, a replay file.
/// Implemented by structs so the runner's loop is specialised.
/// </summary>
/// <remarks>
/// The batch is an array rather than a span because ring and packet sources deliver through struct handlers
/// (<see cref="Rings.IRingHandler{T}"/>, <see cref="Ingress.IPacketHandler"/>), and a struct handler cannot hold a span.
/// </remarks>
public interface IBatchSource
{
    /// <summary>
    /// Writes up to <c>batch.Length</c> events into <paramref name="batch"/> from index 0 and returns how many. 0 means
    /// nothing is available now. Never blocks, never throws on data. <paramref name="batch"/> belongs to the runner and
    /// is reused for the next batch. Worker thread only.
    /// </summary>
    int Fill(MarketEvent[] batch);
}
