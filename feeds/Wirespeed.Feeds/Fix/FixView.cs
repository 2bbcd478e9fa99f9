using System;

namespace Wirespeed.Feeds.Fix;

/// <summary>
/// The fields of one parsed message, read by tag straight from the message bytes. Top-level fields (header, body
/// outside groups, trailer) are found in O(1); <see cref="Group"/> opens a repeating group. Valid until the parser's
/// next <see cref="FixParser.Parse"/>; the message bytes must stay put as long.
/// </summary>
public readonly ref struct FixView
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly FixParser _parser;

    internal FixView(ReadOnlySpan<byte> message, FixParser parser)
    {
        _message = message;
        _parser = parser;
    }

    /// <summary>The message bytes, BeginString to CheckSum.</summary>
    public ReadOnlySpan<byte> Bytes => _message;
    public FixVersion Version => _parser.Version;
    /// <summary>Fields read, in wire order (all of them when the parse succeeded).</summary>
    public int FieldCount => _parser.FieldCount;
    public int Tag(int field) => _parser.Tags[field];
    public ReadOnlySpan<byte> Value(int field) => _message.Slice(_parser.Offsets[field], _parser.Lengths[field]);

    /// <summary>MsgType (35) value, or empty.</summary>
    public ReadOnlySpan<byte> MsgType => TryGet(35, out var v) ? v : default;

    /// <summary>The value of top-level <paramref name="tag"/>; false when absent.</summary>
    public bool TryGet(int tag, out ReadOnlySpan<byte> value)
    {
        int i = _parser.Index(tag);
        value = i < 0 ? default : _message.Slice(_parser.Offsets[i], _parser.Lengths[i]);
        return i >= 0;
    }

    public bool Has(int tag) => _parser.Index(tag) >= 0;

    /// <summary>An int field; <see cref="FixStatus.RequiredTagMissing"/> when absent.</summary>
    public FixStatus TryGetInt(int tag, out long value)
    {
        value = 0;
        return TryGet(tag, out var v) ? FixValue.TryInt(v, out value) : FixStatus.RequiredTagMissing;
    }

    /// <summary>A float/Price/Qty field as fixed point with <paramref name="decimals"/> decimals.</summary>
    public FixStatus TryGetFixed(int tag, int decimals, out long value)
    {
        value = 0;
        return TryGet(tag, out var v) ? FixValue.TryFixed(v, decimals, out value) : FixStatus.RequiredTagMissing;
    }

    /// <summary>A UTCTimestamp field as ns since the Unix epoch.</summary>
    public FixStatus TryGetTimestamp(int tag, out long unixNs)
    {
        unixNs = 0;
        return TryGet(tag, out var v) ? FixValue.TryUtcTimestamp(v, out unixNs) : FixStatus.RequiredTagMissing;
    }

    /// <summary>A char field.</summary>
    public FixStatus TryGetChar(int tag, out byte value)
    {
        value = 0;
        return TryGet(tag, out var v) ? FixValue.TryChar(v, out value) : FixStatus.RequiredTagMissing;
    }

    /// <summary>The top-level repeating group whose NumInGroup is <paramref name="countTag"/>; empty when absent.</summary>
    public FixGroup Group(int countTag)
    {
        int i = _parser.Index(countTag);
        return i < 0 || _parser.GroupOf[i] < 0 ? default : new FixGroup(_message, _parser, _parser.GroupOf[i]);
    }
}

/// <summary>One repeating group of a <see cref="FixView"/>: its entries in wire order.</summary>
public readonly ref struct FixGroup
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly FixParser? _parser;
    private readonly int _group;

    internal FixGroup(ReadOnlySpan<byte> message, FixParser parser, int group)
    {
        _message = message;
        _parser = parser;
        _group = group;
    }

    /// <summary>Entries (equal to NumInGroup after a successful parse); 0 for an absent group.</summary>
    public int Count => _parser is null ? 0 : _parser.GroupEntries[_group];

    /// <summary>Entry <paramref name="index"/>, 0-based; <paramref name="index"/> must be below <see cref="Count"/>.</summary>
    public FixEntry this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) ThrowIndex(index, Count);
            return new FixEntry(_message, _parser!, _parser!.GroupFirstEntry[_group] + index);
        }
    }

    private static void ThrowIndex(int index, int count) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"the group holds {count} entries");
}

/// <summary>One entry of a repeating group: its fields, found by a scan of the entry (entries are short).</summary>
public readonly ref struct FixEntry
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly FixParser _parser;
    private readonly int _entry;

    internal FixEntry(ReadOnlySpan<byte> message, FixParser parser, int entry)
    {
        _message = message;
        _parser = parser;
        _entry = entry;
    }

    /// <summary>Field index of <paramref name="tag"/> in this entry (nested groups' fields skipped), or -1.</summary>
    private int Index(int tag)
    {
        var p = _parser;
        for (int i = p.EntryStart[_entry], end = p.EntryEnd[_entry]; i < end;)
        {
            if (p.Tags[i] == tag) return i;
            int g = p.GroupOf[i];
            i = g < 0 ? i + 1 : p.GroupEnd[g];
        }
        return -1;
    }

    public bool TryGet(int tag, out ReadOnlySpan<byte> value)
    {
        int i = Index(tag);
        value = i < 0 ? default : _message.Slice(_parser.Offsets[i], _parser.Lengths[i]);
        return i >= 0;
    }

    public bool Has(int tag) => Index(tag) >= 0;

    public FixStatus TryGetInt(int tag, out long value)
    {
        value = 0;
        return TryGet(tag, out var v) ? FixValue.TryInt(v, out value) : FixStatus.RequiredTagMissing;
    }

    public FixStatus TryGetFixed(int tag, int decimals, out long value)
    {
        value = 0;
        return TryGet(tag, out var v) ? FixValue.TryFixed(v, decimals, out value) : FixStatus.RequiredTagMissing;
    }

    public FixStatus TryGetChar(int tag, out byte value)
    {
        value = 0;
        return TryGet(tag, out var v) ? FixValue.TryChar(v, out value) : FixStatus.RequiredTagMissing;
    }

    public FixStatus TryGetTimestamp(int tag, out long unixNs)
    {
        unixNs = 0;
        return TryGet(tag, out var v) ? FixValue.TryUtcTimestamp(v, out unixNs) : FixStatus.RequiredTagMissing;
    }

    /// <summary>A group nested in this entry (NoPartySubIDs inside a party); empty when absent.</summary>
    public FixGroup Group(int countTag)
    {
        int i = Index(countTag);
        return i < 0 || _parser.GroupOf[i] < 0 ? default : new FixGroup(_message, _parser, _parser.GroupOf[i]);
    }
}
