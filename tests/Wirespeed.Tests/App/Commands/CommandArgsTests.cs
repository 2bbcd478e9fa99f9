using Wirespeed.Commands;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

public class CommandArgsTests
{
    [Theory]
    [InlineData("1763942400123456789", 1763942400123456789L)]   // epoch ns: exact, not rounded through a double
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-5", -5L)]
    [InlineData("250k", 250_000L)]
    [InlineData("2M", 2_000_000L)]
    [InlineData("2.5M", 2_500_000L)]
    public void Whole_numbers_parse_exactly(string text, long expected)
    {
        var args = CommandArgs.Parse("t", new[] { "--n", text });
        Assert.Equal(expected, args.Long("n"));
    }

    [Theory]
    [InlineData("1.9")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999M")]
    [InlineData("1.0000001k")]
    [InlineData("fast")]
    public void Anything_else_is_refused_with_the_option_named(string text)
    {
        var args = CommandArgs.Parse("t", new[] { "--n", text });
        var e = Assert.Throws<UsageException>(() => args.Long("n"));
        Assert.Contains("--n", e.Message);
    }

    [Fact]
    public void Options_take_values_flags_do_not_and_unknown_options_are_refused()
    {
        var args = CommandArgs.Parse("t", new[] { "file", "--print", "--depth=3", "--x", "y" }, "print");
        Assert.True(args.Has("print"));
        Assert.Equal(3, args.Long("depth"));
        Assert.Equal(new[] { "file" }, args.Positionals);
        var e = Assert.Throws<UsageException>(args.RejectUnknown);
        Assert.Contains("unknown option --x", e.Message);
        Assert.Throws<UsageException>(() => CommandArgs.Parse("t", new[] { "--dangling" }));
    }
}
