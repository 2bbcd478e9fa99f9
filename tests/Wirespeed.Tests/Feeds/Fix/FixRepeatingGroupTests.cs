using Wirespeed.Feeds.Fix;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>Repeating groups (FIX Transport TagValue, "Repeating groups"): counts, delimiters, nesting, and where a group ends.</summary>
public sealed class FixRepeatingGroupTests
{
    private readonly FixParser _parser = new(FixDictionary.Default);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(100)]
    public void Any_number_of_md_entries_is_read_entry_by_entry(int entries)
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Incremental(entries), out var v));
        var g = v.Group(268);
        Assert.Equal(entries, g.Count);
        for (int i = 0; i < entries; i++)
        {
            Assert.Equal(FixStatus.Ok, g[i].TryGetInt(83, out long rpt));
            Assert.Equal(100 + i, rpt);
            Assert.Equal(FixStatus.Ok, g[i].TryGetFixed(270, 5, out long px));
            Assert.Equal(108_000 + i * 5, px);
        }
    }

    [Fact]
    public void A_group_ends_at_the_first_non_member_and_top_level_parsing_resumes()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("V", "262=r|263=1|264=0|267=2|269=0|269=1|146=1|55=A|265=0|"), out var v));
        Assert.Equal(2, v.Group(267).Count);
        Assert.Equal(1, v.Group(146).Count);
        Assert.True(v.TryGet(265, out var upd));
        Assert.Equal("0", S(upd));
        Assert.False(v.Group(146)[0].Has(265));
    }

    [Fact]
    public void A_count_beyond_the_index_with_few_entries_is_an_incorrect_count_not_a_capacity_fault()
    {
        Assert.Equal(FixStatus.IncorrectNumInGroupCount, _parser.Parse(Body("X", "268=999999999|279=0|269=0|"), out _));
        Assert.Equal(268, _parser.ErrorTag);
    }

    [Fact]
    public void A_group_may_end_at_the_trailer()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("X", "268=1|279=0|269=0|93=2|89=ab|"), out var v));
        Assert.Equal(1, v.Group(268).Count);
        Assert.True(v.Has(89));
    }

    [Fact]
    public void A_top_level_tag_repeated_after_a_group_is_a_duplicate()
    {
        Assert.Equal(FixStatus.TagAppearsMoreThanOnce, _parser.Parse(Body("X", "262=a|268=1|279=0|269=0|262=b|"), out _));
        Assert.Equal(262, _parser.ErrorTag);
    }

    [Fact]
    public void The_same_group_twice_at_top_level_is_a_duplicate_count_tag()
    {
        Assert.Equal(FixStatus.TagAppearsMoreThanOnce, _parser.Parse(Body("X", "268=1|279=0|268=1|279=1|"), out _));
        Assert.Equal(268, _parser.ErrorTag);
    }

    [Fact]
    public void A_nested_group_with_too_few_entries_is_an_incorrect_count_of_the_nested_group()
    {
        Assert.Equal(FixStatus.IncorrectNumInGroupCount, _parser.Parse(Body("D", "11=c|54=1|40=1|453=1|448=a|802=3|523=x|523=y|"), out _));
        Assert.Equal(802, _parser.ErrorTag);
    }

    [Fact]
    public void A_nested_entry_missing_its_delimiter_is_out_of_order()
    {
        Assert.Equal(FixStatus.RepeatingGroupFieldsOutOfOrder, _parser.Parse(Body("D", "11=c|54=1|40=1|453=1|448=a|802=1|803=4|523=x|"), out _));
        Assert.Equal(803, _parser.ErrorTag);
    }

    [Fact]
    public void An_outer_count_too_low_shows_once_the_nested_group_is_done()
    {
        Assert.Equal(FixStatus.IncorrectNumInGroupCount, _parser.Parse(Body("D", "11=c|54=1|40=1|453=1|448=a|802=1|523=x|448=b|"), out _));
        Assert.Equal(453, _parser.ErrorTag);
    }

    [Fact]
    public void A_nested_group_of_zero_entries_is_valid_and_empty()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Body("D", "11=c|54=1|40=1|453=2|448=a|802=0|452=3|448=b|"), out var v));
        var p = v.Group(453);
        Assert.Equal(2, p.Count);
        Assert.Equal(0, p[0].Group(802).Count);
        Assert.True(p[0].Has(452));
        Assert.False(p[1].Has(452));
    }

    [Fact]
    public void A_nested_num_in_group_of_the_wrong_format_names_the_nested_tag()
    {
        Assert.Equal(FixStatus.IncorrectDataFormat, _parser.Parse(Body("D", "11=c|54=1|40=1|453=1|448=a|802=two|"), out _));
        Assert.Equal(802, _parser.ErrorTag);
    }

    [Fact]
    public void Reading_past_the_entries_is_a_programming_error()
    {
        Assert.Equal(FixStatus.Ok, _parser.Parse(Incremental(2), out _));
        Assert.Throws<System.ArgumentOutOfRangeException>(() =>
        {
            _parser.Parse(Incremental(2), out var v);
            _ = v.Group(268)[2];
        });
    }

    [Fact]
    public void The_dictionary_rejects_group_definitions_it_cannot_index()
    {
        var members = new int[FixGroupDef.MaxMembers + 1];
        for (int i = 0; i < members.Length; i++) members[i] = 1000 + i;
        Assert.Throws<System.ArgumentException>(() => new FixGroupDef(999, 1000, members));
        Assert.Throws<System.ArgumentException>(() => new FixMessageDef("ABC", new[] { 1 }, System.Array.Empty<int>()));
        Assert.Throws<System.ArgumentException>(() => new FixMessageDef("Q", new[] { 1 }, new[] { 2 }));
    }

    [Fact]
    public void A_dictionary_with_two_character_types_finds_them()
    {
        var d = new FixDictionary(new[] { new FixMessageDef("AE", new[] { 571 }, new[] { 571 }), new FixMessageDef("BE", new[] { 923 }, System.Array.Empty<int>()) });
        var p = new FixParser(d);
        Assert.Equal(FixStatus.Ok, p.Parse(Body("BE", "923=u|"), out var v));
        Assert.Equal("BE", S(v.MsgType));
        Assert.Equal(FixStatus.RequiredTagMissing, p.Parse(Body("AE", ""), out _));
        Assert.Null(d.Find("A"u8));
        Assert.Equal(923, d.Find("BE"u8)!.Groups.Length == 0 ? 923 : 0);
        Assert.Equal(new[] { 1000, 1001 }, new FixGroupDef(5, 1000, new[] { 1001 }).Members);
    }
}
