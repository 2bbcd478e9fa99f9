namespace Wirespeed.Feeds.Itch;

/// <summary>Outcome of reading one frame or message. Wire data never throws; it returns one of these.</summary>
public enum DecodeStatus : byte
{
    /// <summary>Read and valid.</summary>
    Ok = 0,
    /// <summary>Nothing left to read (not an error).</summary>
    End = 1,
    /// <summary>A length (block prefix, message size for its type, header) does not fit the bytes or the spec.</summary>
    BadLength = 2,
    /// <summary>An ITCH type byte 5.0 does not define.</summary>
    UnknownType = 3,
    /// <summary>The bytes stop before the structure they announce (packet shorter than its header says).</summary>
    Truncated = 4,
    /// <summary>A MoldUDP64 packet from a session other than the established one.</summary>
    WrongSession = 5,
    /// <summary>Every message of the packet was already delivered.</summary>
    Duplicate = 6,
    /// <summary>The caller's output span had no room for the event.</summary>
    OutputFull = 7,
    /// <summary>Bytes remain after the messages the MoldUDP64 header counted.</summary>
    TrailingBytes = 8,
    /// <summary>MoldUDP64 header whose sequence + count overflows 64 bits: the sequence is corrupt.</summary>
    SequenceOverflow = 9,
    /// <summary>MoldUDP64 sequence further ahead than the line's MaxGapMessages, not (yet) confirmed by the next packet.</summary>
    SuspectSequence = 10,
}
