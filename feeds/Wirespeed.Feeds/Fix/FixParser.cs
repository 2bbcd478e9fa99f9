using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Fix;

/// <summary>
/// Parses one framed FIX tag=value message into a preallocated field index, validated against a
/// <see cref="FixDictionary"/>, without allocating and without throwing on wire data.
/// <para>
/// Two passes. The first splits the bytes into fields (tag, value offset, value length) in arrays sized at
/// construction. The second walks the field array against the message type's definition: header before body,
/// body tags defined for the type, no tag twice, repeating groups (NumInGroup, then entries that each start with the
/// delimiter, nested groups inside them, the entry count equal to NumInGroup), required tags present. Top-level
/// fields go into an open-addressed tag → field table whose slots carry the parse's generation number, so nothing is
/// cleared between messages; group entries are read by a short scan of the entry's fields.
/// </para>
/// One instance per thread. The <see cref="FixView"/> it returns is valid until the next <see cref="Parse"/>.
/// </summary>
public sealed class FixParser
{
    private readonly FixDictionary _dictionary;
    private readonly FixParserOptions _options;
    private readonly bool _keepUndefined;

    // Fields in wire order.
    internal readonly int[] Tags;
    internal readonly int[] Offsets;
    internal readonly int[] Lengths;
    internal readonly int[] GroupOf;        // the group a NumInGroup field opens, else -1
    internal int FieldCount;

    // Groups and their entries, in the order they were met.
    internal readonly int[] GroupFirstEntry;
    internal readonly int[] GroupEntries;
    internal readonly int[] GroupEnd;       // field index after the group's last entry
    internal readonly int[] EntryStart;     // field index of the entry's delimiter
    internal readonly int[] EntryEnd;
    private int _groupCount;
    private int _entryCount;

    // Top-level tag → field index, valid where the slot's generation equals _generation.
    private readonly int[] _slotTag;
    private readonly int[] _slotField;
    private readonly uint[] _slotGeneration;
    private readonly int _slotMask;
    private uint _generation;

    public FixParser(FixDictionary dictionary, FixParserOptions? options = null)
    {
        _dictionary = dictionary;
        _options = (options ?? new FixParserOptions()).Validated();
        _keepUndefined = _options.UndefinedTags == FixUndefinedTagPolicy.Keep;
        int fields = _options.MaxFields, entries = _options.MaxGroupEntries;
        Tags = new int[fields];
        Offsets = new int[fields];
        Lengths = new int[fields];
        GroupOf = new int[fields];
        GroupFirstEntry = new int[entries];
        GroupEntries = new int[entries];
        GroupEnd = new int[entries];
        EntryStart = new int[entries];
        EntryEnd = new int[entries];
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)fields * 2);
        _slotTag = new int[slots];
        _slotField = new int[slots];
        _slotGeneration = new uint[slots];
        _slotMask = slots - 1;
    }

    public FixParserOptions Options => _options;

    /// <summary>Status of the last <see cref="Parse"/>.</summary>
    public FixStatus Status { get; private set; }
    /// <summary>The tag the last failure is about (RefTagID, 371), or 0.</summary>
    public int ErrorTag { get; private set; }
    /// <summary>BeginString of the last message framed.</summary>
    public FixVersion Version { get; private set; }

    /// <summary>
    /// Parses <paramref name="message"/>, which must be exactly one message (as <see cref="FixFramer.TryFrame"/>
    /// delimits it). Returns <see cref="FixStatus.Ok"/> or the first fault met; <paramref name="view"/> reads the
    /// fields either way (on a fault, those before it).
    /// </summary>
    public FixStatus Parse(ReadOnlySpan<byte> message, out FixView view)
    {
        FieldCount = 0;
        _groupCount = 0;
        _entryCount = 0;
        if (++_generation == 0) ClearSlots();
        view = new FixView(message, this);
        var status = FixFramer.Validate(message, _options.Checks, out var frame);
        Version = frame.Version;
        if (status != FixStatus.Ok) return Fail(status, status == FixStatus.BadCheckSum ? 10 : status == FixStatus.BadBodyLength ? 9 : 8);
        status = Split(message, frame.CheckSumAt + 7);
        if (status != FixStatus.Ok) return status;
        return Structure(message);
    }

    /// <summary>Pass 1: tag=value SOH fields. Framing guarantees the message ends with an SOH.</summary>
    private FixStatus Split(ReadOnlySpan<byte> m, int end)
    {
        int p = 0, n = 0;
        int[] tags = Tags, offsets = Offsets, lengths = Lengths, groupOf = GroupOf;
        while (p < end)
        {
            int tag = 0, q = p;
            for (; q < end; q++)
            {
                uint d = (uint)(m[q] - '0');
                if (d > 9) break;
                tag = tag * 10 + (int)d;
                if (tag > 99_999_999) break;                 // more digits than any tag: not a tag
            }
            if (q == p || q >= end || m[q] != (byte)'=' || m[p] == (byte)'0')
            {
                FieldCount = n;
                return Fail(FixStatus.InvalidTagNumber, tag);
            }
            int valueAt = q + 1;
            int length = m.Slice(valueAt, end - valueAt).IndexOf(FixFramer.Soh);   // found: the message ends with SOH
            if ((uint)n >= (uint)tags.Length)
            {
                FieldCount = n;
                return Fail(FixStatus.TooManyFields, tag);
            }
            tags[n] = tag;
            offsets[n] = valueAt;
            lengths[n] = length;
            groupOf[n] = -1;
            n++;
            if (length == 0)
            {
                FieldCount = n;
                return Fail(FixStatus.TagSpecifiedWithoutValue, tag);
            }
            p = valueAt + length + 1;
        }
        FieldCount = n;
        return FixStatus.Ok;
    }

    /// <summary>Pass 2: header, body and trailer against the dictionary.</summary>
    private FixStatus Structure(ReadOnlySpan<byte> m)
    {
        int count = FieldCount;
        // 8, 9 are fields 0 and 1 (framing); MsgType must be third (FIX Transport: "BeginString, BodyLength, MsgType").
        if (count < 4 || Tags[2] != 35) return Fail(Find(35, 0) ? FixStatus.TagOutOfOrder : FixStatus.RequiredTagMissing, 35);
        Insert(8, 0);
        Insert(9, 1);
        Insert(35, 2);
        var def = _dictionary.Find(m.Slice(Offsets[2], Lengths[2]));
        if (def is null) return Fail(FixStatus.InvalidMsgType, 35);
        int last = count - 1;                                   // CheckSum, placed by framing
        int phase = 0;                                          // 0 header, 1 body, 2 trailer
        for (int i = 3; i < last;)
        {
            int tag = Tags[i];
            byte at = _dictionary.Place(tag);
            if (at == FixDictionary.Body)
            {
                if (phase == 2) return Fail(FixStatus.TagOutOfOrder, tag);
                phase = 1;
                byte kind = def.Kind(tag);
                if (kind == FixMessageDef.Undefined)
                {
                    if (!_keepUndefined) return Fail(FixStatus.TagNotDefinedForMessageType, tag);
                    if (Index(tag) < 0) Insert(tag, i);
                    i++;
                    continue;
                }
                if (!Insert(tag, i)) return Fail(FixStatus.TagAppearsMoreThanOnce, tag);
                if (kind == FixMessageDef.Field) { i++; continue; }
                var status = Group(m, def.Groups[kind - FixMessageDef.GroupBase], i, last, out i);
                if (status != FixStatus.Ok) return status;
                continue;
            }
            int atPhase = at == FixDictionary.Header ? 0 : 2;
            if (atPhase < phase) return Fail(FixStatus.TagOutOfOrder, tag);   // a header tag after the body or the trailer
            phase = atPhase;
            if (!Insert(tag, i)) return Fail(FixStatus.TagAppearsMoreThanOnce, tag);
            i++;
        }
        Insert(10, last);
        if (_options.CheckRequired)
        {
            foreach (int tag in FixDictionary.RequiredHeaderTags)
                if (Index(tag) < 0) return Fail(FixStatus.RequiredTagMissing, tag);
            var required = def.Required;
            for (int r = 0; r < required.Count; r++)
                if (Index(required[r]) < 0) return Fail(FixStatus.RequiredTagMissing, required[r]);
        }
        Status = FixStatus.Ok;
        ErrorTag = 0;
        return FixStatus.Ok;
    }

    /// <summary>
    /// One repeating group whose NumInGroup is field <paramref name="countField"/>; <paramref name="next"/> is the
    /// field after its last entry. Recursion depth is the dictionary's nesting depth (2 here), never the input's.
    /// </summary>
    private FixStatus Group(ReadOnlySpan<byte> m, FixGroupDef def, int countField, int last, out int next)
    {
        next = countField + 1;
        var s = FixValue.TryInt(m.Slice(Offsets[countField], Lengths[countField]), out long declared);
        if (s != FixStatus.Ok) return Fail(s, def.CountTag);
        if (declared < 0) return Fail(FixStatus.ValueIncorrect, def.CountTag);
        if ((uint)_groupCount >= (uint)GroupEntries.Length) return Fail(FixStatus.TooManyFields, def.CountTag);
        int g = _groupCount++;
        GroupOf[countField] = g;
        // The entries' slots are reserved together (nested groups' entries come after them), so entry i of the
        // group is slot first + i. A count larger than the room left reserves what there is: a message with that
        // many entries fails TooManyFields, one with fewer fails IncorrectNumInGroupCount, as it should.
        int first = _entryCount;
        int reserved = (int)Math.Min(declared, EntryStart.Length - first);
        _entryCount += reserved;
        GroupFirstEntry[g] = first;
        GroupEntries[g] = 0;
        int i = countField + 1, entries = 0;
        int delimiter = def.DelimiterTag;
        if (declared > 0 && i < last && Tags[i] != delimiter && def.Ordinal(Tags[i]) > 0)
            return Fail(FixStatus.RepeatingGroupFieldsOutOfOrder, Tags[i]);     // an entry that does not start with its delimiter
        while (i < last && Tags[i] == delimiter)
        {
            if (entries == declared) return Fail(FixStatus.IncorrectNumInGroupCount, def.CountTag);
            if (entries == reserved) return Fail(FixStatus.TooManyFields, def.CountTag);
            int e = first + entries;
            EntryStart[e] = i;
            entries++;
            UInt128 seen = UInt128.One;                           // ordinal 0: the delimiter
            i++;
            while (i < last)
            {
                int tag = Tags[i];
                int ordinal = def.Ordinal(tag);
                if (ordinal <= 0) break;                           // the next entry's delimiter, or past the group
                UInt128 bit = UInt128.One << ordinal;
                if ((seen & bit) != 0) return Fail(FixStatus.TagAppearsMoreThanOnce, tag);
                seen |= bit;
                var nested = def.Nested(ordinal);
                if (nested is null) { i++; continue; }
                s = Group(m, nested, i, last, out i);
                if (s != FixStatus.Ok) return s;
            }
            EntryEnd[e] = i;
        }
        GroupEntries[g] = entries;
        GroupEnd[g] = i;
        next = i;
        return entries == declared ? FixStatus.Ok : Fail(FixStatus.IncorrectNumInGroupCount, def.CountTag);
    }

    /// <summary>Top-level field index of <paramref name="tag"/> in the last message, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Index(int tag)
    {
        uint gen = _generation;
        for (int s = Hash(tag); ; s = (s + 1) & _slotMask)
        {
            if (_slotGeneration[s] != gen) return -1;
            if (_slotTag[s] == tag) return _slotField[s];
        }
    }

    /// <summary>Adds a top-level field; false when the tag is already there.</summary>
    private bool Insert(int tag, int field)
    {
        uint gen = _generation;
        int s = Hash(tag);
        for (; _slotGeneration[s] == gen; s = (s + 1) & _slotMask)
            if (_slotTag[s] == tag) return false;
        _slotGeneration[s] = gen;
        _slotTag[s] = tag;
        _slotField[s] = field;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Hash(int tag) => (int)(((uint)tag * 0x9E3779B1u) >> 16) & _slotMask;

    private bool Find(int tag, int from)
    {
        for (int i = from; i < FieldCount; i++) if (Tags[i] == tag) return true;
        return false;
    }

    private FixStatus Fail(FixStatus status, int tag)
    {
        Status = status;
        ErrorTag = tag;
        return status;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ClearSlots()
    {
        Array.Clear(_slotGeneration);
        _generation = 1;
    }
}
