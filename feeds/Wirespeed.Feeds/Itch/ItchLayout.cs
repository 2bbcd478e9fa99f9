namespace Wirespeed.Feeds.Itch;

/// <summary>
/// Byte layouts of every NASDAQ TotalView-ITCH 5.0 message (section numbers are those of the specification).
/// </summary>
/// <remarks>
/// Every message starts with the same 11-byte prefix; offsets below are from the start of the message (the type byte).
/// <code>
///  0      1        3          5                11
///  +------+--------+----------+-----------------+------------------
///  | type | locate | tracking | timestamp (6 B) | type-specific ...
///  +------+--------+----------+-----------------+------------------
/// </code>
/// All integers are big-endian and unsigned. Timestamps are ns since midnight. Price(4) has 4 implied decimals,
/// Price(8) has 8. Alpha fields are ASCII, left-justified and padded on the right with spaces.
/// NASDAQ fixes each message type's length; a message whose length differs from its type's <c>Size</c> is rejected
/// as BadLength before any field is read (see <see cref="ItchDecoder.Validate"/>).
/// </remarks>
public static class ItchLayout
{
    /// <summary>Offsets common to every message (section 1.3 / 4: Message Formats).</summary>
    public const int Type = 0;
    public const int StockLocate = 1;
    public const int TrackingNumber = 3;
    public const int Timestamp = 5;
    /// <summary>Bytes in the common prefix: type(1) + locate(2) + tracking(2) + timestamp(6).</summary>
    public const int HeaderSize = 11;
    /// <summary>Largest message in 5.0 (NOII, 50 bytes).</summary>
    public const int MaxMessageSize = 50;
    /// <summary>Smallest message in 5.0 (System Event / MWCB Status, 12 bytes).</summary>
    public const int MinMessageSize = 12;

    /// <summary>4.1 System Event Message 'S'.</summary>
    public static class SystemEvent { public const byte Type = (byte)'S'; public const int Size = 12; public const int EventCode = 11; }

    /// <summary>4.2.1 Stock Directory 'R'.</summary>
    public static class StockDirectory
    {
        public const byte Type = (byte)'R'; public const int Size = 39;
        public const int Stock = 11; public const int MarketCategory = 19; public const int FinancialStatusIndicator = 20;
        public const int RoundLotSize = 21; public const int RoundLotsOnly = 25; public const int IssueClassification = 26;
        public const int IssueSubType = 27; public const int Authenticity = 29; public const int ShortSaleThresholdIndicator = 30;
        public const int IpoFlag = 31; public const int LuldReferencePriceTier = 32; public const int EtpFlag = 33;
        public const int EtpLeverageFactor = 34; public const int InverseIndicator = 38;
    }

    /// <summary>4.2.2 Stock Trading Action 'H'.</summary>
    public static class StockTradingAction
    {
        public const byte Type = (byte)'H'; public const int Size = 25;
        public const int Stock = 11; public const int TradingState = 19; public const int Reserved = 20; public const int Reason = 21;
    }

    /// <summary>4.2.3 Reg SHO Short Sale Price Test Restricted Indicator 'Y'.</summary>
    public static class RegShoRestriction { public const byte Type = (byte)'Y'; public const int Size = 20; public const int Stock = 11; public const int RegShoAction = 19; }

    /// <summary>4.2.4 Market Participant Position 'L'.</summary>
    public static class MarketParticipantPosition
    {
        public const byte Type = (byte)'L'; public const int Size = 26;
        public const int Mpid = 11; public const int Stock = 15; public const int PrimaryMarketMaker = 23;
        public const int MarketMakerMode = 24; public const int MarketParticipantState = 25;
    }

    /// <summary>4.2.5.1 MWCB Decline Level 'V' (three Price(8) levels).</summary>
    public static class MwcbDeclineLevel { public const byte Type = (byte)'V'; public const int Size = 35; public const int Level1 = 11; public const int Level2 = 19; public const int Level3 = 27; }

    /// <summary>4.2.5.2 MWCB Status 'W'.</summary>
    public static class MwcbStatus { public const byte Type = (byte)'W'; public const int Size = 12; public const int BreachedLevel = 11; }

    /// <summary>4.2.6 IPO Quoting Period Update 'K'.</summary>
    public static class IpoQuotingPeriodUpdate
    {
        public const byte Type = (byte)'K'; public const int Size = 28;
        public const int Stock = 11; public const int IpoQuotationReleaseTime = 19; public const int IpoQuotationReleaseQualifier = 23; public const int IpoPrice = 24;
    }

    /// <summary>4.2.7 LULD Auction Collar 'J'.</summary>
    public static class LuldAuctionCollar
    {
        public const byte Type = (byte)'J'; public const int Size = 35;
        public const int Stock = 11; public const int ReferencePrice = 19; public const int UpperPrice = 23; public const int LowerPrice = 27; public const int Extension = 31;
    }

    /// <summary>4.2.8 Operational Halt 'h'.</summary>
    public static class OperationalHalt { public const byte Type = (byte)'h'; public const int Size = 21; public const int Stock = 11; public const int MarketCode = 19; public const int Action = 20; }

    /// <summary>4.3.1 Add Order, no MPID attribution 'A'.</summary>
    public static class AddOrder
    {
        public const byte Type = (byte)'A'; public const int Size = 36;
        public const int OrderReference = 11; public const int Side = 19; public const int Shares = 20; public const int Stock = 24; public const int Price = 32;
    }

    /// <summary>4.3.2 Add Order with MPID attribution 'F' (the 'A' layout plus Attribution).</summary>
    public static class AddOrderMpid
    {
        public const byte Type = (byte)'F'; public const int Size = 40;
        public const int OrderReference = 11; public const int Side = 19; public const int Shares = 20; public const int Stock = 24; public const int Price = 32; public const int Attribution = 36;
    }

    /// <summary>4.4.1 Order Executed 'E'.</summary>
    public static class OrderExecuted { public const byte Type = (byte)'E'; public const int Size = 31; public const int OrderReference = 11; public const int ExecutedShares = 19; public const int MatchNumber = 23; }

    /// <summary>4.4.2 Order Executed With Price 'C'.</summary>
    public static class OrderExecutedWithPrice
    {
        public const byte Type = (byte)'C'; public const int Size = 36;
        public const int OrderReference = 11; public const int ExecutedShares = 19; public const int MatchNumber = 23; public const int Printable = 31; public const int ExecutionPrice = 32;
    }

    /// <summary>4.4.3 Order Cancel 'X'.</summary>
    public static class OrderCancel { public const byte Type = (byte)'X'; public const int Size = 23; public const int OrderReference = 11; public const int CancelledShares = 19; }

    /// <summary>4.4.4 Order Delete 'D'.</summary>
    public static class OrderDelete { public const byte Type = (byte)'D'; public const int Size = 19; public const int OrderReference = 11; }

    /// <summary>4.4.5 Order Replace 'U'.</summary>
    public static class OrderReplace
    {
        public const byte Type = (byte)'U'; public const int Size = 35;
        public const int OriginalOrderReference = 11; public const int NewOrderReference = 19; public const int Shares = 27; public const int Price = 31;
    }

    /// <summary>4.5.1 Trade (non-cross) 'P'.</summary>
    public static class Trade
    {
        public const byte Type = (byte)'P'; public const int Size = 44;
        public const int OrderReference = 11; public const int Side = 19; public const int Shares = 20; public const int Stock = 24; public const int Price = 32; public const int MatchNumber = 36;
    }

    /// <summary>4.5.2 Cross Trade 'Q' (Shares is 8 bytes here).</summary>
    public static class CrossTrade
    {
        public const byte Type = (byte)'Q'; public const int Size = 40;
        public const int Shares = 11; public const int Stock = 19; public const int CrossPrice = 27; public const int MatchNumber = 31; public const int CrossType = 39;
    }

    /// <summary>4.5.3 Broken Trade 'B'.</summary>
    public static class BrokenTrade { public const byte Type = (byte)'B'; public const int Size = 19; public const int MatchNumber = 11; }

    /// <summary>4.6 Net Order Imbalance Indicator 'I'.</summary>
    public static class NetOrderImbalance
    {
        public const byte Type = (byte)'I'; public const int Size = 50;
        public const int PairedShares = 11; public const int ImbalanceShares = 19; public const int ImbalanceDirection = 27; public const int Stock = 28;
        public const int FarPrice = 36; public const int NearPrice = 40; public const int CurrentReferencePrice = 44; public const int CrossType = 48; public const int PriceVariationIndicator = 49;
    }

    /// <summary>4.7 Retail Price Improvement Indicator 'N'.</summary>
    public static class RetailPriceImprovement { public const byte Type = (byte)'N'; public const int Size = 20; public const int Stock = 11; public const int InterestFlag = 19; }

    /// <summary>4.8 Direct Listing with Capital Raise Price Discovery 'O' (added to 5.0 in 2020).</summary>
    public static class DirectListingPriceDiscovery
    {
        public const byte Type = (byte)'O'; public const int Size = 48;
        public const int Stock = 11; public const int OpenEligibilityStatus = 19; public const int MinimumAllowablePrice = 20; public const int MaximumAllowablePrice = 24;
        public const int NearExecutionPrice = 28; public const int NearExecutionTime = 32; public const int LowerPriceRangeCollar = 40; public const int UpperPriceRangeCollar = 44;
    }

    /// <summary>Every 5.0 message type, in specification order.</summary>
    public static System.ReadOnlySpan<byte> AllTypes => "SRHYLVWKJhAFECXDUPQBINO"u8;

    /// <summary>Size of each type indexed by the type byte; 0 for a type 5.0 does not define.</summary>
    public static System.ReadOnlySpan<byte> SizeByType => new byte[256]
    {
        //      0   1   2   3   4   5   6   7   8   9   A   B   C   D   E   F
        /*0x*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*1x*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*2x*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*3x*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        //          A   B   C   D   E   F   G   H   I   J   K   L   M   N   O
        /*4x*/  0, 36, 19, 36, 19, 31, 40,  0, 25, 50, 35, 28, 26,  0, 20, 48,
        //      P   Q   R   S   T   U   V   W   X   Y
        /*5x*/ 44, 40, 39, 12,  0, 35, 35, 12, 23, 20,  0,  0,  0,  0,  0,  0,
        //                                      h
        /*6x*/  0,  0,  0,  0,  0,  0,  0,  0, 21,  0,  0,  0,  0,  0,  0,  0,
        /*7x*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*8x*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*9x*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*Ax*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*Bx*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*Cx*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*Dx*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*Ex*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
        /*Fx*/  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    };

    /// <summary>The fixed size of <paramref name="type"/>, or 0 when 5.0 does not define it.</summary>
    public static int SizeOf(byte type) => SizeByType[type];

    /// <summary>True for the 23 types of 5.0.</summary>
    public static bool IsKnownType(byte type) => SizeByType[type] != 0;
}
