using System.Runtime.InteropServices;

namespace Wirespeed.Core.Signals;

/// <summary>
/// One detection: one cache line, blittable, no references, so it can be copied into a ring, a journal record or a
/// network frame as it is.
/// </summary>
/// <remarks>
/// <code>
///  0        8        16       24       32       40       48    52    56    60  61  62  63
///  +--------+--------+--------+--------+--------+--------+-----+-----+-----+---+---+---+---+
///  | RecvTs | DetTs  | ExchTs |FeedSeq |StreamPo|Strength| Pat | Ins | Oth |Knd|Dir|Lin|OLn|
///  +--------+--------+--------+--------+--------+--------+-----+-----+-----+---+---+---+---+
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct Signal
{
    public const int Size = 64;

    /// <summary>Receive timestamp (monotonic ns) of the packet that carried the triggering event.</summary>
    [FieldOffset(0)] public long ReceiveTimestampNs;
    /// <summary>When the pattern fired: monotonic ns, or the triggering receive timestamp under <see cref="PatternClock.Virtual"/>.</summary>
    [FieldOffset(8)] public long DetectionTimestampNs;
    /// <summary>Exchange timestamp (ns since the Unix epoch) of the triggering event: pattern time.</summary>
    [FieldOffset(16)] public long ExchangeTimestampNs;
    /// <summary>Feed sequence number of the triggering event.</summary>
    [FieldOffset(24)] public ulong FeedSequence;
    /// <summary>Position of the triggering event on the broadcast ring (the same on every worker): a total order for merging.</summary>
    [FieldOffset(32)] public long StreamPosition;
    /// <summary>Kind-specific size: z-score (spread, basket), move in bps (lead-lag), edge in bps (arbitrage), trade count (momentum).</summary>
    [FieldOffset(40)] public double Strength;
    /// <summary>Index of the pattern in the configuration (patterns[i]).</summary>
    [FieldOffset(48)] public int PatternId;
    /// <summary>Triggering or first instrument (dense id).</summary>
    [FieldOffset(52)] public int Instrument;
    /// <summary>Counterpart instrument (second leg, leader's first follower, other book); -1 when none.</summary>
    [FieldOffset(56)] public int OtherInstrument;
    [FieldOffset(60)] public PatternKind Kind;
    /// <summary>+1: buy the first instrument (it is cheap / moving up); -1: sell it; 0: none.</summary>
    [FieldOffset(61)] public sbyte Direction;
    /// <summary>Feed line of <see cref="Instrument"/>.</summary>
    [FieldOffset(62)] public byte Line;
    /// <summary>Feed line of <see cref="OtherInstrument"/>.</summary>
    [FieldOffset(63)] public byte OtherLine;
}
