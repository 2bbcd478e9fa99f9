namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// What a subscriber sees of a delivered message's frame (AERON.md §d: the header of Aeron's fragment handler). For a
/// reassembled message it describes the last fragment, with BEGIN|END in <see cref="Flags"/>, as Aeron's fragment
/// assembler does; <see cref="Position"/> is the stream position just after the message.
/// </summary>
public readonly struct AeronHeader
{
    public AeronHeader(int sessionId, int streamId, int termId, int termOffset, long position, byte flags, long reservedValue, int frameLength)
    {
        SessionId = sessionId;
        StreamId = streamId;
        TermId = termId;
        TermOffset = termOffset;
        Position = position;
        Flags = flags;
        ReservedValue = reservedValue;
        FrameLength = frameLength;
    }

    public int SessionId { get; }
    public int StreamId { get; }
    public int TermId { get; }
    public int TermOffset { get; }
    public long Position { get; }
    public byte Flags { get; }
    public long ReservedValue { get; }
    public int FrameLength { get; }
}

/// <summary>Receives whole messages from <c>Poll</c>; implement it on a struct so the loop is specialised (DESIGN.md
/// "Polling, not callbacks through interfaces"). The span is valid only during the call.</summary>
public interface IAeronMessageHandler
{
    void OnMessage(System.ReadOnlySpan<byte> message, in AeronHeader header);
}
