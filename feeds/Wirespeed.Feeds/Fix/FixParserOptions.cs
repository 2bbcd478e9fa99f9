using System;

namespace Wirespeed.Feeds.Fix;

/// <summary>What a body tag the data dictionary does not define for the message type does.</summary>
public enum FixUndefinedTagPolicy : byte
{
    /// <summary>The message fails with <see cref="FixStatus.TagNotDefinedForMessageType"/> (373=2): a counterparty
    /// held to the dictionary.</summary>
    Reject = 0,
    /// <summary>The field is kept and readable by tag (the first occurrence wins; repeats are not errors, as the tag may
    /// belong to a group the dictionary does not know): venues with custom tags, logs.</summary>
    Keep = 1,
}

/// <summary>How a <see cref="FixParser"/> validates and how much it holds. Checked once, in the constructor.</summary>
public sealed record FixParserOptions
{
    /// <summary>Framing checks. Default: all (BeginString, BodyLength, CheckSum).</summary>
    public FixFramingChecks Checks { get; init; } = FixFramingChecks.All;
    /// <summary>Undefined body tags. Default: Reject.</summary>
    public FixUndefinedTagPolicy UndefinedTags { get; init; } = FixUndefinedTagPolicy.Reject;
    /// <summary>Check the dictionary's required tags and the required header tags. Default: true.</summary>
    public bool CheckRequired { get; init; } = true;
    /// <summary>Fields one message may hold (the index is preallocated). Default: 1024 (a full FIX 4.4 execution
    /// report with every component is about 650).</summary>
    public int MaxFields { get; init; } = 1024;
    /// <summary>Repeating-group entries one message may hold, all groups together. Default: 512.</summary>
    public int MaxGroupEntries { get; init; } = 512;

    public FixParserOptions Validated()
    {
        if (MaxFields is < 8 or > 65536)
            throw new ArgumentException($"{nameof(MaxFields)}={MaxFields} must be within 8..65536 (a message has at least 8=, 9=, 35=, 10=).");
        if (MaxGroupEntries is < 1 or > 65536)
            throw new ArgumentException($"{nameof(MaxGroupEntries)}={MaxGroupEntries} must be within 1..65536.");
        return this;
    }
}
