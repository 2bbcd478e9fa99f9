using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

/// <summary>A live order as the book holds it (copy; see <see cref="OrderBookSet.TryGetOrder"/>).</summary>
public readonly record struct BookOrder(ulong OrderId, int Instrument, Side Side, long Price, long Shares, bool InLevels);
