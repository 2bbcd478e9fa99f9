namespace Wirespeed.Feeds.Fix;

/// <summary>
/// Outcome of framing or parsing one FIX tag=value message. Wire data never throws; it returns one of these. The
/// field-level reasons map one to one onto SessionRejectReason (373) of a session-level Reject (35=3), see
/// <see cref="FixStatusExtensions.SessionRejectReason"/>; the framing ones are those for which FIX prescribes no Reject
/// (a garbled message is ignored, FIX Session Layer 4.8 "Garbled messages").
/// </summary>
public enum FixStatus : byte
{
    /// <summary>Framed (or parsed) and valid.</summary>
    Ok = 0,
    /// <summary>The bytes end inside a message: read more and call again (not an error).</summary>
    NeedMoreBytes = 1,
    /// <summary>BeginString (8) missing, not first, or not a version we speak.</summary>
    BadBeginString = 2,
    /// <summary>BodyLength (9) missing, not second, not a number, or not where the checksum field begins.</summary>
    BadBodyLength = 3,
    /// <summary>CheckSum (10) missing, malformed, or not the sum of the bytes before it modulo 256.</summary>
    BadCheckSum = 4,
    /// <summary>A tag that is not a positive decimal number (373=0 invalid tag number).</summary>
    InvalidTagNumber = 5,
    /// <summary>A tag the message type requires is absent (373=1).</summary>
    RequiredTagMissing = 6,
    /// <summary>A tag the data dictionary does not allow in this message type (373=2).</summary>
    TagNotDefinedForMessageType = 7,
    /// <summary>A tag with an empty value, "55=" (373=4).</summary>
    TagSpecifiedWithoutValue = 8,
    /// <summary>A value of the right format outside its range: a negative NumInGroup, month 13 (373=5).</summary>
    ValueIncorrect = 9,
    /// <summary>A value of the wrong format: letters in an int, a malformed timestamp (373=6).</summary>
    IncorrectDataFormat = 10,
    /// <summary>MsgType (35) is not one the data dictionary defines (373=11).</summary>
    InvalidMsgType = 11,
    /// <summary>A tag occurs twice outside a repeating group, or twice in one group entry (373=13).</summary>
    TagAppearsMoreThanOnce = 12,
    /// <summary>A header tag after the body, MsgType not third (373=14).</summary>
    TagOutOfOrder = 13,
    /// <summary>A group entry that does not start with its delimiter field (373=15).</summary>
    RepeatingGroupFieldsOutOfOrder = 14,
    /// <summary>NumInGroup differs from the entries that follow it (373=16).</summary>
    IncorrectNumInGroupCount = 15,
    /// <summary>More fields or group entries than the parser's preallocated index holds (no Reject reason: 373=99 other).</summary>
    TooManyFields = 16,
    /// <summary>Encoder: the output span is too small for the message.</summary>
    OutputFull = 17,
}

/// <summary>Status to FIX's own numbers.</summary>
public static class FixStatusExtensions
{
    /// <summary>SessionRejectReason (373) for a Reject (35=3) of a message that failed with <paramref name="s"/>;
    /// -1 for statuses that are not rejected but ignored (framing) or that are not failures.</summary>
    public static int SessionRejectReason(this FixStatus s) => s switch
    {
        FixStatus.InvalidTagNumber => 0,
        FixStatus.RequiredTagMissing => 1,
        FixStatus.TagNotDefinedForMessageType => 2,
        FixStatus.TagSpecifiedWithoutValue => 4,
        FixStatus.ValueIncorrect => 5,
        FixStatus.IncorrectDataFormat => 6,
        FixStatus.InvalidMsgType => 11,
        FixStatus.TagAppearsMoreThanOnce => 13,
        FixStatus.TagOutOfOrder => 14,
        FixStatus.RepeatingGroupFieldsOutOfOrder => 15,
        FixStatus.IncorrectNumInGroupCount => 16,
        FixStatus.TooManyFields => 99,
        _ => -1,
    };

    /// <summary>Stable lower-case name for counters and fuzz causes, e.g. "required_tag_missing".</summary>
    public static string Name(this FixStatus s) => s switch
    {
        FixStatus.Ok => "ok",
        FixStatus.NeedMoreBytes => "need_more_bytes",
        FixStatus.BadBeginString => "bad_begin_string",
        FixStatus.BadBodyLength => "bad_body_length",
        FixStatus.BadCheckSum => "bad_checksum",
        FixStatus.InvalidTagNumber => "invalid_tag_number",
        FixStatus.RequiredTagMissing => "required_tag_missing",
        FixStatus.TagNotDefinedForMessageType => "tag_not_defined_for_message_type",
        FixStatus.TagSpecifiedWithoutValue => "tag_specified_without_value",
        FixStatus.ValueIncorrect => "value_incorrect",
        FixStatus.IncorrectDataFormat => "incorrect_data_format",
        FixStatus.InvalidMsgType => "invalid_msg_type",
        FixStatus.TagAppearsMoreThanOnce => "tag_appears_more_than_once",
        FixStatus.TagOutOfOrder => "tag_out_of_order",
        FixStatus.RepeatingGroupFieldsOutOfOrder => "repeating_group_fields_out_of_order",
        FixStatus.IncorrectNumInGroupCount => "incorrect_num_in_group_count",
        FixStatus.TooManyFields => "too_many_fields",
        FixStatus.OutputFull => "output_full",
        _ => "unknown",
    };
}

/// <summary>The BeginString (8) of a message. FIX 5.0 (any SP) travels over the FIXT.1.1 session layer; its
/// application version is ApplVerID (1128) or the session's DefaultApplVerID (1137).</summary>
public enum FixVersion : byte
{
    Unknown = 0,
    Fix40 = 1,
    Fix41 = 2,
    Fix42 = 3,
    Fix43 = 4,
    Fix44 = 5,
    Fixt11 = 6,
}
