using System;
using Wirespeed.Feeds.Fix;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>Golden messages of every type in the dictionary, parsed and read field by field.</summary>
public sealed class FixParserGoldenTests
{
    private readonly FixParser _parser = new(FixDictionary.Default);

    [Fact]
    public void Incremental_refresh_entries_are_read_by_tag_with_prices_in_fixed_point()
    {
        var m = Msg("35=X|49=VENUE|56=WS|34=981|52=20261207-14:30:01.123456789|262=sub-7|268=3|"
            + "279=0|269=0|55=ESZ6|83=501|270=6012.25|271=40|290=1|"
            + "279=1|269=1|55=ESZ6|83=502|270=6012.5|271=12|290=1|"
            + "279=2|269=2|55=ESZ6|83=503|270=6012.25|271=3|273=14:30:01.120|", "FIXT.1.1");
        Assert.Equal(FixStatus.Ok, _parser.Parse(m, out var v));
        Assert.Equal(FixVersion.Fixt11, v.Version);
        Assert.Equal("X", S(v.MsgType));
        Assert.Equal(FixStatus.Ok, v.TryGetInt(34, out long seq));
        Assert.Equal(981, seq);
        Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(52, out long sent));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 14, 30, 1, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000 + 123_456_789, sent);
        var entries = v.Group(268);
        Assert.Equal(3, entries.Count);
        long[] prices = { 60122500, 60125000, 60122500 };
        byte[] actions = { (byte)'0', (byte)'1', (byte)'2' };
        for (int i = 0; i < 3; i++)
        {
            var e = entries[i];
            Assert.Equal(FixStatus.Ok, e.TryGetChar(279, out byte action));
            Assert.Equal(actions[i], action);
            Assert.Equal(FixStatus.Ok, e.TryGetFixed(270, 4, out long px));
            Assert.Equal(prices[i], px);
            Assert.Equal(FixStatus.Ok, e.TryGetInt(83, out long rpt));
            Assert.Equal(501 + i, rpt);
            Assert.True(e.TryGet(55, out var sym));
            Assert.Equal("ESZ6", S(sym));
        }
        Assert.Equal(FixStatus.Ok, entries[2].TryGetInt(271, out long qty));
        Assert.Equal(3, qty);
        Assert.False(entries[2].Has(290));
        Assert.Equal(FixStatus.RequiredTagMissing, entries[2].TryGetInt(290, out _));
        Assert.Equal(FixStatus.IncorrectDataFormat, entries[2].TryGetTimestamp(273, out _));   // a UTCTimeOnly, not a timestamp
        Assert.True(entries[2].TryGet(273, out var time));
        Assert.Equal(FixStatus.Ok, FixValue.TryUtcTimeOnly(time, out long tod));
        Assert.Equal(((14 * 60 + 30) * 60 + 1) * 1_000_000_000L + 120_000_000, tod);
        Assert.False(v.Has(270));                 // entry fields are not top-level
        Assert.Equal(0, v.Group(146).Count);      // not present
        Assert.Equal(0, v.Group(262).Count);      // a field, not a group
    }

    [Fact]
    public void Snapshot_with_zero_entries_is_valid()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("W", "262=r|55=IBM|268=0|"), out var v));
        Assert.Equal(0, v.Group(268).Count);
        Assert.True(v.Has(268));
    }

    [Fact]
    public void Market_data_request_carries_entry_types_and_related_symbols()
    {
        var m = Body("V", "262=req-9|263=1|264=10|265=1|267=2|269=0|269=1|146=2|55=AAPL|48=037833100|22=1|55=MSFT|");
        Assert.Equal(FixStatus.Ok, _parser.Parse(m, out var v));
        var types = v.Group(267);
        Assert.Equal(2, types.Count);
        Assert.Equal(FixStatus.Ok, types[1].TryGetChar(269, out byte t));
        Assert.Equal((byte)'1', t);
        var syms = v.Group(146);
        Assert.Equal(2, syms.Count);
        Assert.True(syms[0].TryGet(48, out var cusip));
        Assert.Equal("037833100", S(cusip));
        Assert.False(syms[1].Has(48));
        Assert.True(syms[1].TryGet(55, out var msft));
        Assert.Equal("MSFT", S(msft));
    }

    [Fact]
    public void New_order_single_with_parties_and_nested_sub_ids()
    {
        var m = Body("D", "11=ord-1|1=ACC|55=AAPL|54=1|38=100|40=2|44=187.1234|59=0|60=20261207-23:30:00.5|"
            + "453=2|448=TRADER1|447=D|452=11|802=2|523=desk-a|803=4|523=desk-b|803=5|448=FIRM|447=D|452=1|");
        Assert.Equal(FixStatus.Ok, _parser.Parse(m, out var v));
        Assert.Equal(FixStatus.Ok, v.TryGetFixed(44, 4, out long px));
        Assert.Equal(1_871_234, px);
        Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(60, out long t));
        Assert.Equal(500_000_000, t % 1_000_000_000);
        var parties = v.Group(453);
        Assert.Equal(2, parties.Count);
        var subs = parties[0].Group(802);
        Assert.Equal(2, subs.Count);
        Assert.True(subs[1].TryGet(523, out var desk));
        Assert.Equal("desk-b", S(desk));
        Assert.True(parties[0].TryGet(452, out var role));      // after the nested group ends
        Assert.Equal("11", S(role));
        Assert.Equal(0, parties[1].Group(802).Count);
        Assert.True(parties[1].TryGet(448, out var firm));
        Assert.Equal("FIRM", S(firm));
        Assert.False(parties[0].Has(803));                      // inside the nested group, not the party
    }

    [Theory]
    [InlineData("A", "98=0|108=30|1137=9|")]
    [InlineData("0", "112=TEST|")]
    [InlineData("0", "")]
    [InlineData("1", "112=TEST|")]
    [InlineData("2", "7=10|16=0|")]
    [InlineData("3", "45=7|371=55|372=D|373=5|58=bad|")]
    [InlineData("4", "123=Y|36=20|")]
    [InlineData("5", "58=bye|")]
    [InlineData("j", "45=9|372=G|380=3|")]
    [InlineData("Y", "262=req|281=0|58=unknown symbol|")]
    [InlineData("F", "11=c-2|41=c-1|54=2|55=MSFT|38=10|")]
    [InlineData("G", "11=c-3|41=c-2|54=2|55=MSFT|38=10|40=2|44=10.5|")]
    [InlineData("8", "37=o-1|11=c-1|17=e-1|150=F|39=2|54=1|55=MSFT|38=10|32=10|31=401.5|151=0|14=10|6=401.5|")]
    [InlineData("9", "37=o-1|11=c-2|41=c-1|39=8|434=1|102=1|")]
    public void Every_message_type_of_the_dictionary_parses(string type, string fields)
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body(type, fields), out var v));
        Assert.Equal(type, S(v.MsgType));
        Assert.Equal(FixStatus.Ok, v.TryGetInt(34, out long seq));
        Assert.Equal(12, seq);
        Assert.True(v.TryGet(49, out var sender));
        Assert.Equal("SNDR", S(sender));
        Assert.True(v.TryGet(10, out _));
        Assert.Equal(v.FieldCount - 1, IndexOfTag(v, 10));
    }

    [Fact]
    public void Fields_are_listed_in_wire_order()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("0", "112=T|"), out var v));
        int[] expected = { 8, 9, 35, 49, 56, 34, 52, 112, 10 };
        Assert.Equal(expected.Length, v.FieldCount);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], v.Tag(i));
        Assert.Equal("T", S(v.Value(7)));
        Assert.Equal(v.Bytes.Length, Body("0", "112=T|").Length);
    }

    [Fact]
    public void Trailer_signature_fields_may_precede_the_checksum()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("0", "93=3|89=abc|"), out var v));
        Assert.True(v.TryGet(89, out var sig));
        Assert.Equal("abc", S(sig));
    }

    [Fact]
    public void The_parser_is_reused_and_a_later_message_does_not_see_an_earlier_ones_fields()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("1", "112=A|"), out var first));
        Assert.True(first.Has(112));
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("0", ""), out var second));
        Assert.False(second.Has(112));
        Assert.Equal(FixStatus.Ok, _parser.Status);
        Assert.Equal(0, _parser.ErrorTag);
    }

    [Fact]
    public void The_generation_wrap_clears_the_tag_table()
    {
        var small = new FixParser(FixDictionary.Default, new FixParserOptions { MaxFields = 16 });
        var generation = typeof(FixParser).GetField("_generation", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        Assert.Equal(FixStatus.Ok, small.Parse(Body("1", "112=A|"), out _));
        generation.SetValue(small, uint.MaxValue);
        Assert.Equal(FixStatus.Ok, small.Parse(Body("0", ""), out var v));
        Assert.False(v.Has(112));
        Assert.True(v.Has(35));
    }

    private static int IndexOfTag(FixView v, int tag)
    {
        for (int i = 0; i < v.FieldCount; i++) if (v.Tag(i) == tag) return i;
        return -1;
    }
}
