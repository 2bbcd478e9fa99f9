using System;

namespace Wirespeed.Feeds.Fix.MarketData;

/// <summary>How a FIX market-data session is subscribed and read; checked once at start-up.</summary>
public sealed record FixMarketDataOptions
{
    /// <summary>Line id stamped on the events. Default: 0.</summary>
    public byte LineId { get; init; }
    /// <summary>MarketDepth (264) asked for: 0 full book, 1 top of book (a new best price then replaces the side's
    /// level), N the best N levels. Default: 0.</summary>
    public int MarketDepth { get; init; }
    /// <summary>Also subscribe to trades (269=2), emitted as Trade events. Default: true.</summary>
    public bool Trades { get; init; } = true;
    /// <summary>Size given to bid/offer entries that carry none or 0 (indicative quotes, e.g. FX). 0: an entry without
    /// a size is skipped (counted as ZeroSize) and a size of 0 removes the level. Default: 0.</summary>
    public long IndicativeSize { get; init; }

    public FixMarketDataOptions Validated()
    {
        if (MarketDepth is < 0 or > 10_000) throw new ArgumentException($"fix.marketData.{nameof(MarketDepth)}={MarketDepth} must be 0 (full), 1 (top) or up to 10000 levels.", nameof(MarketDepth));
        if (IndicativeSize < 0) throw new ArgumentException($"fix.marketData.{nameof(IndicativeSize)}={IndicativeSize} must be 0 (skip sizeless quotes) or positive.", nameof(IndicativeSize));
        return this;
    }
}

/// <summary>What the FIX market-data reader did, one counter per cause (session thread writes, monitor reads).</summary>
public sealed class FixMarketDataCounters
{
    public long Snapshots;
    public long Incrementals;
    /// <summary>Bid/offer entries applied to the books.</summary>
    public long Entries;
    public long Trades;
    /// <summary>Entry types other than bid, offer and trade (index, mid, settlement …): read, not used.</summary>
    public long IgnoredEntryTypes;
    /// <summary>Bid/offer entries without a size (see <see cref="FixMarketDataOptions.IndicativeSize"/>).</summary>
    public long ZeroSize;
    /// <summary>Messages or entries naming an instrument not in the symbol table.</summary>
    public long UnknownInstrument;
    /// <summary>Entries with a missing or malformed field the book needs (type, action, price, position).</summary>
    public long Malformed;
    /// <summary>RptSeq (83) ahead of the next expected: updates were lost.</summary>
    public long RptSeqGaps;
    /// <summary>RptSeq behind the next expected: a repeat, skipped.</summary>
    public long RptSeqDuplicates;
    public long Resubscriptions;
    public long RequestsSent;
    /// <summary>Requests the session could not send (not logged on).</summary>
    public long RequestsNotSent;
    /// <summary>MarketDataRequestReject (Y) received.</summary>
    public long RequestRejects;
    /// <summary>Y by MDReqRejReason (281) character (index = the ASCII code; 0 when absent).</summary>
    public readonly long[] RejectReasons = new long[128];
}
