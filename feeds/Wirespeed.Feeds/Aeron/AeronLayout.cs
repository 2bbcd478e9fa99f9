namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// Byte layout of Aeron's UDP frames (AERON.md §B.2–B.8, from aeron_udp_protocol.h). Every integer is little-endian and
/// fields are packed, so 8-byte fields may sit at offsets that are not multiples of 8.
/// </summary>
/// <remarks>
/// Common header (§B.2), the first 8 bytes of every frame:
/// <code>
///  0               4       5       6               8
///  +---------------+-------+-------+---------------+
///  | frame_length  |version| flags |     type      |
///  +---------------+-------+-------+---------------+
/// </code>
/// </remarks>
public static class AeronLayout
{
    /// <summary>Frames occupy their length rounded up to this many bytes, in the term and on the wire (§B.3).</summary>
    public const int FrameAlignment = 32;
    /// <summary>The only protocol version (§B.1).</summary>
    public const byte CurrentVersion = 0;

    // §B.2 common header
    public const int FrameLength = 0;
    public const int Version = 4;
    public const int Flags = 5;
    public const int Type = 6;
    public const int CommonHeaderLength = 8;

    /// <summary>§B.3 DATA and PAD header (32 bytes).</summary>
    public static class Data
    {
        public const int TermOffset = 8;
        public const int SessionId = 12;
        public const int StreamId = 16;
        public const int TermId = 20;
        public const int ReservedValue = 24;
        public const int HeaderLength = 32;
    }

    /// <summary>§B.4 SETUP (40 bytes).</summary>
    public static class Setup
    {
        public const int TermOffset = 8;
        public const int SessionId = 12;
        public const int StreamId = 16;
        public const int InitialTermId = 20;
        public const int ActiveTermId = 24;
        public const int TermLength = 28;
        public const int Mtu = 32;
        public const int Ttl = 36;
        public const int Length = 40;
    }

    /// <summary>§B.5 Status message (36 bytes, 44 with the optional group tag).</summary>
    public static class StatusMessage
    {
        public const int SessionId = 8;
        public const int StreamId = 12;
        public const int ConsumptionTermId = 16;
        public const int ConsumptionTermOffset = 20;
        public const int ReceiverWindow = 24;
        public const int ReceiverId = 28;
        public const int GroupTag = 36;
        public const int Length = 36;
        public const int LengthWithGroupTag = 44;
    }

    /// <summary>§B.6 NAK (28 bytes).</summary>
    public static class Nak
    {
        public const int SessionId = 8;
        public const int StreamId = 12;
        public const int TermId = 16;
        public const int TermOffset = 20;
        public const int GapLength = 24;
        public const int Length = 28;
    }

    /// <summary>§B.7 RTT measurement (40 bytes).</summary>
    public static class Rttm
    {
        public const int SessionId = 8;
        public const int StreamId = 12;
        public const int EchoTimestamp = 16;
        public const int ReceptionDelta = 24;
        public const int ReceiverId = 32;
        public const int Length = 40;
    }

    /// <summary>§B.8 ERR (40 bytes + UTF-8 text of at most 1023 bytes).</summary>
    public static class Error
    {
        public const int SessionId = 8;
        public const int StreamId = 12;
        public const int ReceiverId = 16;
        public const int GroupTag = 24;
        public const int ErrorCode = 32;
        public const int ErrorLength = 36;
        public const int HeaderLength = 40;
        public const int MaxTextLength = 1023;
    }

    /// <summary>§B.8 RSP_SETUP (20 bytes).</summary>
    public const int ResponseSetupLength = 20;

    /// <summary>Rounds <paramref name="length"/> up to the 32-byte frame alignment (§B.3).</summary>
    public static int Align(int length) => (length + (FrameAlignment - 1)) & ~(FrameAlignment - 1);
}

/// <summary>Frame types at offset 6 (§B.2).</summary>
public static class AeronFrameType
{
    public const short Pad = 0x00;
    public const short Data = 0x01;
    public const short Nak = 0x02;
    public const short StatusMessage = 0x03;
    public const short Error = 0x04;
    public const short Setup = 0x05;
    public const short Rttm = 0x06;
    public const short Resolution = 0x07;
    public const short AtsData = 0x08;
    public const short AtsSetup = 0x09;
    public const short AtsStatusMessage = 0x0A;
    public const short ResponseSetup = 0x0B;
    public const short Extension = unchecked((short)0xFFFF);
}

/// <summary>Flag bits at offset 5; their meaning depends on the frame type (§B.3–B.8).</summary>
public static class AeronFlags
{
    /// <summary>DATA: first fragment of a message.</summary>
    public const byte Begin = 0x80;
    /// <summary>DATA: last fragment of a message.</summary>
    public const byte End = 0x40;
    /// <summary>DATA: end of stream (on the final heartbeats, with BEGIN|END).</summary>
    public const byte EndOfStream = 0x20;
    /// <summary>DATA and PAD: an unfragmented message.</summary>
    public const byte Unfragmented = Begin | End;
    /// <summary>SETUP: the channel has group semantics (multicast).</summary>
    public const byte SetupGroup = 0x40;
    /// <summary>SETUP: response channels.</summary>
    public const byte SetupSendResponse = 0x80;
    /// <summary>SM: "send me a SETUP" (elicit-setup; the other fields are 0).</summary>
    public const byte StatusSendSetup = 0x80;
    /// <summary>SM: the receiver's image is closing.</summary>
    public const byte StatusEndOfStream = 0x40;
    /// <summary>RTTM: a request to be answered (named REPLY in Aeron).</summary>
    public const byte RttmReply = 0x80;
    /// <summary>ERR: the group tag field is present.</summary>
    public const byte ErrorGroupTag = 0x08;
}
