using Wirespeed.Feeds.Fix;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>
/// Each fault the parser reports, with the tag it names (RefTagID 371) and the SessionRejectReason (373) a session
/// would put in its Reject (FIX 4.4 / FIXT.1.1 session layer).
/// </summary>
public sealed class FixRejectReasonTests
{
    private readonly FixParser _parser = new(FixDictionary.Default);

    private void Rejected(byte[] m, FixStatus status, int tag, int reason)
    {
        Assert.Equal(status, _parser.Parse(m, out _));
        Assert.Equal(status, _parser.Status);
        Assert.Equal(tag, _parser.ErrorTag);
        Assert.Equal(reason, status.SessionRejectReason());
    }

    [Fact]
    public void Required_tag_missing_in_the_body() => Rejected(Body("D", "11=c|54=1|55=X|"), FixStatus.RequiredTagMissing, 40, 1);

    [Fact]
    public void Required_tag_missing_in_the_header() => Rejected(Msg("35=0|49=S|56=T|52=20261207-00:00:00|"), FixStatus.RequiredTagMissing, 34, 1);

    [Fact]
    public void Msg_type_missing_is_a_required_tag_missing() => Rejected(Msg("49=S|56=T|34=1|52=20261207-00:00:00|"), FixStatus.RequiredTagMissing, 35, 1);

    [Fact]
    public void Msg_type_not_third_is_out_of_order() => Rejected(Msg("49=S|35=0|56=T|34=1|52=20261207-00:00:00|"), FixStatus.TagOutOfOrder, 35, 14);

    [Fact]
    public void A_header_tag_after_the_body_is_out_of_order() => Rejected(Msg("35=1|49=S|56=T|34=1|112=x|52=20261207-00:00:00|"), FixStatus.TagOutOfOrder, 52, 14);

    [Fact]
    public void A_body_tag_after_the_trailer_is_out_of_order() => Rejected(Body("1", "93=1|89=s|112=x|"), FixStatus.TagOutOfOrder, 112, 14);

    [Fact]
    public void A_header_tag_after_the_trailer_is_out_of_order() => Rejected(Body("0", "89=s|43=Y|"), FixStatus.TagOutOfOrder, 43, 14);

    [Fact]
    public void Tag_not_defined_for_the_message_type() => Rejected(Body("0", "44=1.5|"), FixStatus.TagNotDefinedForMessageType, 44, 2);

    [Fact]
    public void An_undefined_tag_is_kept_under_the_keep_policy()
    {
        var keep = new FixParser(FixDictionary.Default, new FixParserOptions { UndefinedTags = FixUndefinedTagPolicy.Keep });
        Assert.Equal(FixStatus.Ok, keep.Parse(Body("0", "20460=a|20460=b|"), out var v));
        Assert.True(v.TryGet(20460, out var first));
        Assert.Equal("a", S(first));
        Assert.Equal(FixUndefinedTagPolicy.Keep, keep.Options.UndefinedTags);
    }

    [Fact]
    public void Tag_appears_more_than_once_at_top_level() => Rejected(Body("1", "112=a|112=b|"), FixStatus.TagAppearsMoreThanOnce, 112, 13);

    [Fact]
    public void Header_tag_appears_more_than_once() => Rejected(Msg("35=0|49=S|49=S|56=T|34=1|52=20261207-00:00:00|"), FixStatus.TagAppearsMoreThanOnce, 49, 13);

    [Fact]
    public void Tag_appears_more_than_once_in_one_group_entry() =>
        Rejected(Body("X", "268=1|279=0|269=0|270=1|270=2|"), FixStatus.TagAppearsMoreThanOnce, 270, 13);

    [Fact]
    public void Tag_specified_without_a_value() => Rejected(Body("1", "112=|"), FixStatus.TagSpecifiedWithoutValue, 112, 4);

    [Theory]
    [InlineData("=5|")]          // no tag
    [InlineData("0112=5|")]      // leading zero
    [InlineData("11a=5|")]       // not digits
    [InlineData("112|")]         // no '='
    [InlineData("1234567890=5|")] // longer than any tag
    public void Invalid_tag_number(string field)
    {
        Assert.Equal(FixStatus.InvalidTagNumber, _parser.Parse(Body("1", field), out _));
        Assert.Equal(0, FixStatus.InvalidTagNumber.SessionRejectReason());
    }

    [Fact]
    public void Invalid_msg_type() => Rejected(Body("ZZ", ""), FixStatus.InvalidMsgType, 35, 11);

    [Fact]
    public void Invalid_msg_type_of_one_and_of_three_characters()
    {
        Rejected(Body("Q", ""), FixStatus.InvalidMsgType, 35, 11);
        Rejected(Body("ABC", ""), FixStatus.InvalidMsgType, 35, 11);
    }

    [Fact]
    public void Incorrect_data_format_of_a_num_in_group() => Rejected(Body("X", "268=x|279=0|"), FixStatus.IncorrectDataFormat, 268, 6);

    [Fact]
    public void Value_incorrect_for_a_negative_num_in_group() => Rejected(Body("X", "268=-1|279=0|"), FixStatus.ValueIncorrect, 268, 5);

    [Fact]
    public void Incorrect_num_in_group_count_too_high() => Rejected(Body("X", "268=2|279=0|269=0|"), FixStatus.IncorrectNumInGroupCount, 268, 16);

    [Fact]
    public void Incorrect_num_in_group_count_too_low() => Rejected(Body("X", "268=1|279=0|269=0|279=1|269=1|"), FixStatus.IncorrectNumInGroupCount, 268, 16);

    [Fact]
    public void Incorrect_num_in_group_count_with_no_entry_following() => Rejected(Body("W", "262=a|268=1|"), FixStatus.IncorrectNumInGroupCount, 268, 16);

    [Fact]
    public void Entries_after_a_zero_count_are_an_incorrect_count() => Rejected(Body("W", "268=0|269=0|270=1|"), FixStatus.IncorrectNumInGroupCount, 268, 16);

    [Fact]
    public void An_entry_missing_its_delimiter_is_out_of_order() =>
        Rejected(Body("X", "268=1|269=0|279=0|270=1|"), FixStatus.RepeatingGroupFieldsOutOfOrder, 269, 15);

    [Fact]
    public void Too_many_fields_for_the_index()
    {
        var small = new FixParser(FixDictionary.Default, new FixParserOptions { MaxFields = 8 });
        Assert.Equal(FixStatus.TooManyFields, small.Parse(Body("1", "112=x|"), out var v));
        Assert.Equal(8, v.FieldCount);
        Assert.Equal(99, FixStatus.TooManyFields.SessionRejectReason());
    }

    [Fact]
    public void Too_many_group_entries_for_the_index()
    {
        var small = new FixParser(FixDictionary.Default, new FixParserOptions { MaxGroupEntries = 2 });
        Assert.Equal(FixStatus.TooManyFields, small.Parse(Incremental(3), out _));
        Assert.Equal(268, small.ErrorTag);
        Assert.Equal(FixStatus.Ok, small.Parse(Incremental(1), out _));
        // The group table holds as many groups as entries: with one, the second group does not fit.
        var one = new FixParser(FixDictionary.Default, new FixParserOptions { MaxGroupEntries = 1 });
        Assert.Equal(FixStatus.TooManyFields, one.Parse(Body("V", "262=r|263=0|264=1|267=1|269=0|146=0|"), out _));
        Assert.Equal(146, one.ErrorTag);
    }

    [Fact]
    public void Framing_faults_name_their_field_and_are_not_session_rejects()
    {
        Rejected(Msg("35=0|" + Header44, checkSumDelta: 3), FixStatus.BadCheckSum, 10, -1);
        Rejected(Msg("35=0|" + Header44, lengthDelta: 3), FixStatus.BadBodyLength, 9, -1);
        Rejected(Msg("35=0|" + Header44, begin: "FIX.9.9"), FixStatus.BadBeginString, 8, -1);
        Assert.Equal(-1, FixStatus.Ok.SessionRejectReason());
        Assert.Equal(-1, FixStatus.NeedMoreBytes.SessionRejectReason());
    }

    [Fact]
    public void Required_checks_can_be_turned_off()
    {
        var lax = new FixParser(FixDictionary.Default, new FixParserOptions { CheckRequired = false });
        Assert.Equal(FixStatus.Ok, lax.Parse(Msg("35=D|11=c|"), out var v));
        Assert.True(v.Has(11));
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(100_000, 1)]
    [InlineData(1024, 0)]
    [InlineData(1024, 100_000)]
    public void Options_out_of_range_name_the_setting(int fields, int entries)
    {
        var e = Assert.Throws<System.ArgumentException>(() => new FixParser(FixDictionary.Default, new FixParserOptions { MaxFields = fields, MaxGroupEntries = entries }));
        Assert.Contains(fields is < 8 or > 65536 ? "MaxFields" : "MaxGroupEntries", e.Message);
    }

    [Fact]
    public void Every_status_has_a_distinct_name()
    {
        var names = new System.Collections.Generic.HashSet<string>();
        foreach (FixStatus s in System.Enum.GetValues<FixStatus>()) Assert.True(names.Add(s.Name()), s.ToString());
        Assert.Equal("unknown", ((FixStatus)200).Name());
    }
}
