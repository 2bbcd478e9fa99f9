using System;
using System.Collections.Generic;

namespace Wirespeed.Feeds.Fix;

/// <summary>
/// One repeating group: its NumInGroup tag, the delimiter (the field every entry must start with, FIX Transport
/// TagValue "Repeating groups") and its members, some of which are nested groups. Built at start-up; read-only after.
/// </summary>
public sealed class FixGroupDef
{
    private readonly byte[] _ordinal;            // tag → member ordinal + 1; 0: not a member
    private readonly FixGroupDef?[] _nested;     // by ordinal: the nested group a member's NumInGroup opens

    /// <summary>Members a group may have: the bits of the parser's per-entry duplicate mask.</summary>
    public const int MaxMembers = 128;

    public FixGroupDef(int countTag, int delimiterTag, int[] members, params FixGroupDef[] nested)
    {
        CountTag = countTag;
        DelimiterTag = delimiterTag;
        var all = new List<int> { delimiterTag };
        foreach (int t in members) if (!all.Contains(t)) all.Add(t);
        foreach (var g in nested) if (!all.Contains(g.CountTag)) all.Add(g.CountTag);
        if (all.Count > MaxMembers) throw new ArgumentException($"group {countTag}: {all.Count} members, at most {MaxMembers} (the per-entry duplicate mask)");
        int max = 0;
        foreach (int t in all) max = Math.Max(max, t);
        _ordinal = new byte[max + 1];
        _nested = new FixGroupDef?[all.Count];
        for (int i = 0; i < all.Count; i++) _ordinal[all[i]] = (byte)(i + 1);
        foreach (var g in nested) _nested[_ordinal[g.CountTag] - 1] = g;
        Members = all.ToArray();
    }

    public int CountTag { get; }
    public int DelimiterTag { get; }
    /// <summary>Every member tag, delimiter first.</summary>
    public IReadOnlyList<int> Members { get; }

    /// <summary>Member ordinal (0 = delimiter), or -1 when <paramref name="tag"/> is not a member.</summary>
    internal int Ordinal(int tag) => (uint)tag < (uint)_ordinal.Length ? _ordinal[tag] - 1 : -1;

    internal FixGroupDef? Nested(int ordinal) => _nested[ordinal];
}

/// <summary>One message type: the body tags it allows, those it requires and its repeating groups.</summary>
public sealed class FixMessageDef
{
    internal const byte Undefined = 0, Field = 1, GroupBase = 2; // kind: GroupBase + i opens Groups[i]
    private readonly byte[] _kind;

    public FixMessageDef(string msgType, int[] fields, int[] required, params FixGroupDef[] groups)
    {
        if (msgType.Length is < 1 or > 2) throw new ArgumentException($"MsgType '{msgType}': one or two characters");
        MsgType = msgType;
        Required = required;
        Groups = groups;
        int max = 0;
        foreach (int t in fields) max = Math.Max(max, t);
        foreach (var g in groups) max = Math.Max(max, g.CountTag);
        _kind = new byte[max + 1];
        foreach (int t in fields) _kind[t] = Field;
        for (int i = 0; i < groups.Length; i++) _kind[groups[i].CountTag] = (byte)(GroupBase + i);
        foreach (int t in required)
            if (t >= _kind.Length || _kind[t] == Undefined) throw new ArgumentException($"MsgType '{msgType}': required tag {t} is not among its fields");
    }

    public string MsgType { get; }
    public IReadOnlyList<int> Required { get; }
    public FixGroupDef[] Groups { get; }

    internal byte Kind(int tag) => (uint)tag < (uint)_kind.Length ? _kind[tag] : Undefined;
}

/// <summary>
/// The data dictionary the parser validates against: standard header and trailer tags, and the message types
/// Wirespeed speaks. <see cref="Default"/> covers FIX 4.4 and FIX 5.0 SP2 (over FIXT.1.1) for market data (V, W, X,
/// Y), orders (D, F, G, 8, 9, j) and the session layer (A, 0, 1, 2, 3, 4, 5); the required tags are those every
/// version from 4.1 to 5.0 SP2 requires (TransactTime, required on D/F/G since 4.2, is not, so 4.1 order flow parses).
/// </summary>
public sealed class FixDictionary
{
    private readonly FixMessageDef?[] _byChar = new FixMessageDef?[128];   // one-character MsgTypes
    private readonly List<FixMessageDef> _twoChar = new();
    private readonly byte[] _place;                                       // tag → 1 header, 2 trailer

    internal const byte Body = 0, Header = 1, Trailer = 2;

    /// <summary>Standard header (FIX 4.4 / FIXT.1.1 StandardHeader component).</summary>
    public static readonly int[] HeaderTags =
    {
        8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122, 212, 213, 347,
        369, 627, 628, 629, 630, 1128, 1129, 1156,
    };

    /// <summary>Standard trailer.</summary>
    public static readonly int[] TrailerTags = { 93, 89, 10 };

    /// <summary>Header tags every message carries: SenderCompID, TargetCompID, MsgSeqNum, SendingTime.</summary>
    public static readonly int[] RequiredHeaderTags = { 49, 56, 34, 52 };

    public FixDictionary(IEnumerable<FixMessageDef> messages)
    {
        int max = 0;
        foreach (int t in HeaderTags) max = Math.Max(max, t);
        _place = new byte[max + 1];
        foreach (int t in HeaderTags) _place[t] = Header;
        foreach (int t in TrailerTags) if (t < _place.Length) _place[t] = Trailer;
        foreach (var m in messages)
        {
            if (m.MsgType.Length == 1) _byChar[m.MsgType[0] & 0x7F] = m;
            else _twoChar.Add(m);
        }
    }

    /// <summary>The definition of MsgType <paramref name="msgType"/>, or null.</summary>
    public FixMessageDef? Find(ReadOnlySpan<byte> msgType)
    {
        if (msgType.Length == 1) return msgType[0] < 128 ? _byChar[msgType[0]] : null;
        foreach (var m in _twoChar)
            if (msgType.Length == 2 && msgType[0] == m.MsgType[0] && msgType[1] == m.MsgType[1]) return m;
        return null;
    }

    internal byte Place(int tag) => (uint)tag < (uint)_place.Length ? _place[tag] : Body;

    // Instrument component, the fields a venue's market data and order flow identify an instrument with.
    private static readonly int[] s_instrument =
        { 55, 65, 48, 22, 460, 461, 167, 762, 200, 541, 201, 224, 225, 239, 226, 227, 228, 255, 543, 470, 471, 472, 240, 202, 947, 206, 231, 223, 207, 106, 348, 349, 107, 350, 351, 691, 667, 875, 876, 873, 874 };

    /// <summary>The dictionary of the message types Wirespeed uses.</summary>
    public static FixDictionary Default { get; } = CreateDefault();

    // Parties component (FIX 4.4 / 5.0 SP2): NoPartyIDs 453 → PartyID 448, PartyIDSource 447, PartyRole 452,
    // NoPartySubIDs 802 → PartySubID 523, PartySubIDType 803.
    private static FixGroupDef Parties() => new(453, 448, new[] { 448, 447, 452 }, new FixGroupDef(802, 523, new[] { 523, 803 }));

    private static int[] Join(params int[][] parts)
    {
        var all = new List<int>();
        foreach (var p in parts) all.AddRange(p);
        return all.ToArray();
    }

    private static FixDictionary CreateDefault()
    {
        // MDEntry fields of W and X (FIX 4.4 / 5.0 SP2 MarketDataSnapshotFullRefresh, MarketDataIncrementalRefresh).
        int[] mdEntry =
        {
            269, 270, 271, 272, 273, 274, 275, 336, 625, 276, 277, 282, 283, 284, 286, 59, 432, 126, 110, 18, 287, 37, 299,
            288, 289, 346, 290, 546, 811, 58, 354, 355, 1023, 1070, 15, 278, 280, 83, 326, 327, 451, 291, 292, 387, 279,
        };
        var snapshotEntries = new FixGroupDef(268, 269, mdEntry);
        var incrementalEntries = new FixGroupDef(268, 279, Join(mdEntry, s_instrument));
        var mdEntryTypes = new FixGroupDef(267, 269, Array.Empty<int>());
        var relatedSym = new FixGroupDef(146, 55, s_instrument);
        int[] order = { 11, 1, 21, 38, 40, 44, 54, 59, 60, 99, 18, 110, 111, 100, 15, 58, 126, 432, 152, 117, 526, 583, 37, 41, 114, 77, 203, 377, 528, 529, 582, 23, 211, 388, 389, 120, 64 };
        int[] exec =
        {
            37, 198, 526, 527, 11, 41, 583, 693, 790, 584, 911, 912, 17, 19, 150, 39, 636, 103, 378, 1, 660, 581, 589, 590, 591, 63, 64, 544, 635,
            20, 6, 14, 31, 32, 151, 38, 40, 44, 99, 54, 59, 60, 58, 232, 233, 234, 854, 152, 516, 468, 469, 423, 211, 835, 836, 837, 838, 840,
            388, 389, 841, 842, 843, 844, 846, 839, 845, 847, 848, 849, 850, 15, 376, 377, 168, 432, 126, 18, 528, 529, 582, 21, 110, 111, 100,
            30, 29, 119, 120, 155, 156, 75, 113, 336, 625, 1057, 851, 797, 13, 12, 479, 497, 381, 157, 230, 158, 159, 738, 920, 921, 922, 238,
            237, 118, 81, 13, 12, 484, 483, 880, 43, 442, 650, 1003, 1040, 797, 574, 22, 48, 55, 65,
        };
        var contraBrokers = new FixGroupDef(382, 375, new[] { 375, 337, 437, 438, 655 });
        var securityAltIds = new FixGroupDef(454, 455, new[] { 455, 456 });
        var miscFees = new FixGroupDef(136, 137, new[] { 137, 138, 139, 891 });
        var defs = new[]
        {
            new FixMessageDef("A", new[] { 98, 108, 95, 96, 141, 789, 383, 464, 553, 554, 925, 1137, 1400, 1408, 1409 }, new[] { 98, 108 }),
            new FixMessageDef("0", new[] { 112 }, Array.Empty<int>()),
            new FixMessageDef("1", new[] { 112 }, new[] { 112 }),
            new FixMessageDef("2", new[] { 7, 16 }, new[] { 7, 16 }),
            new FixMessageDef("3", new[] { 45, 371, 372, 373, 58, 354, 355 }, new[] { 45 }),
            new FixMessageDef("4", new[] { 123, 36 }, new[] { 36 }),
            new FixMessageDef("5", new[] { 58, 354, 355, 1409 }, Array.Empty<int>()),
            new FixMessageDef("j", new[] { 45, 372, 379, 380, 58, 354, 355 }, new[] { 372, 380 }),
            new FixMessageDef("V", new[] { 262, 263, 264, 265, 266, 286, 546, 547, 815 }, new[] { 262, 263, 264, 267, 146 }, mdEntryTypes, relatedSym),
            new FixMessageDef("W", Join(new[] { 262, 15, 291, 292, 387, 813, 911, 83, 1021, 1173, 715, 58 }, s_instrument), new[] { 268 }, snapshotEntries),
            new FixMessageDef("X", new[] { 262, 813, 1021, 1173, 715 }, new[] { 268 }, incrementalEntries),
            new FixMessageDef("Y", new[] { 262, 281, 58, 354, 355 }, new[] { 262 }),
            new FixMessageDef("D", Join(order, s_instrument), new[] { 11, 54, 40 }, Parties()),
            new FixMessageDef("F", Join(order, s_instrument), new[] { 11, 41, 54 }, Parties()),
            new FixMessageDef("G", Join(order, s_instrument), new[] { 11, 41, 54, 40 }, Parties()),
            new FixMessageDef("8", Join(exec, s_instrument), new[] { 37, 17, 39, 54, 14, 6, 151 }, Parties(), contraBrokers, securityAltIds, miscFees),
            new FixMessageDef("9", new[] { 37, 11, 41, 39, 434, 102, 58, 1, 60, 526, 583, 66, 354, 355 }, new[] { 37, 11, 41, 39, 434 }),
        };
        return new FixDictionary(defs);
    }
}
