using System;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// The simulator's book state as a GLIMPSE-style snapshot reads it: the stock directory of each instrument and its
/// live orders (the simulator's own books, which every cancel, execute, delete and replace it emits keeps exact).
/// </summary>
public sealed partial class ExchangeSimulator
{
    /// <summary>Writes the Stock Directory 'R' the simulator sent for <paramref name="locate"/> at the start of day.</summary>
    internal int WriteStockDirectory(Span<byte> dst, int locate, long timestampNs)
    {
        int i = locate - 1;
        return ItchMessageWriter.StockDirectory(dst, (ushort)locate, 0, timestampNs, _stock[i],
            marketCategory: (byte)'Q', financialStatus: (byte)'N', roundLotSize: (uint)_o.RoundLot, roundLotsOnly: (byte)'N',
            issueClassification: (byte)'C', issueSubType: (ushort)('Z' << 8 | ' '), authenticity: (byte)'P',
            shortSaleThreshold: (byte)'N', ipoFlag: (byte)'N', luldTier: (byte)'1', etpFlag: (byte)'N',
            etpLeverageFactor: 0, inverseIndicator: (byte)'N');
    }

    /// <summary>Writes live order <paramref name="k"/> (0 ≤ k &lt; <see cref="LiveOrdersOf"/>) of <paramref name="locate"/>
    /// as an Add Order 'A' (no attribution: the snapshot shows what the book holds, not who placed it).</summary>
    internal int WriteLiveOrder(Span<byte> dst, int locate, int k, long timestampNs)
    {
        int at = (locate - 1) * _cap + k;
        return ItchMessageWriter.AddOrder(dst, (ushort)locate, 0, timestampNs, _ordRef[at], _ordSide[at], _ordShares[at], _stock[locate - 1], _ordPrice[at]);
    }
}
