using System.Threading;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// Frames and datagrams an Aeron endpoint refused, one counter per cause (STYLE §3.8, as aeronmd's invalid_frames
/// counter but split by reason). Written by the endpoint's polling thread only; read by the monitor (torn reads of a
/// 64-bit counter are impossible on x64, and a slightly stale value is fine).
/// </summary>
public sealed class AeronRejectCounters
{
    public long TooShort;
    public long BadVersion;
    public long LengthPastDatagram;
    public long BadFrameLength;
    public long UnknownType;
    /// <summary>Defined types nothing here handles (RES, ATS, RSP_SETUP, EXT), and frames meant for the other side
    /// (an SM at a subscriber, DATA at a publisher).</summary>
    public long Unsupported;
    /// <summary>DATA or heartbeat for a session/stream with no image (an elicit-setup SM may follow).</summary>
    public long UnknownSession;
    /// <summary>A frame of a stream this endpoint does not serve.</summary>
    public long OtherStream;
    /// <summary>SM, NAK or RTTM naming another receiver or session (§B.5, §B.7).</summary>
    public long OtherReceiver;
    /// <summary>SETUP refused: term length, mtu or ids out of range (§B.4).</summary>
    public long BadSetup;
    /// <summary>DATA beyond the receive window: dropped as over-run (§B.9).</summary>
    public long OverRun;
    /// <summary>DATA already consumed or already present (§B.9): harmless duplicates.</summary>
    public long Duplicate;
    /// <summary>DATA whose term id lies before the image's initial term id, or whose frame crosses its term (§B.9).</summary>
    public long BadPosition;

    /// <summary>Counts one scanner verdict (no-op for Ok and End).</summary>
    public void Count(AeronFrameStatus status)
    {
        switch (status)
        {
            case AeronFrameStatus.TooShort: TooShort++; break;
            case AeronFrameStatus.BadVersion: BadVersion++; break;
            case AeronFrameStatus.LengthPastDatagram: LengthPastDatagram++; break;
            case AeronFrameStatus.BadFrameLength: BadFrameLength++; break;
            case AeronFrameStatus.UnknownType: UnknownType++; break;
            case AeronFrameStatus.Unsupported: Unsupported++; break;
        }
    }

    /// <summary>Every rejected frame, all causes together.</summary>
    public long Total => Volatile.Read(ref TooShort) + Volatile.Read(ref BadVersion) + Volatile.Read(ref LengthPastDatagram)
                         + Volatile.Read(ref BadFrameLength) + Volatile.Read(ref UnknownType) + Volatile.Read(ref Unsupported)
                         + Volatile.Read(ref UnknownSession) + Volatile.Read(ref OtherStream) + Volatile.Read(ref OtherReceiver)
                         + Volatile.Read(ref BadSetup) + Volatile.Read(ref OverRun) + Volatile.Read(ref Duplicate)
                         + Volatile.Read(ref BadPosition);
}
