using System.Text.RegularExpressions;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// <c>demo --aeron</c> (issue 13): box A publishes the decoded day as events on Aeron multicast (loopback), box B
/// rebuilds the books from them alone, runs the patterns and sends its signals back on a second stream. Ports 26875 and
/// 26877 belong to this file.
/// </summary>
public class AeronDemoCommandTests
{
    private const string Events = "aeron:udp?endpoint=239.192.88.1:26875|interface=127.0.0.1|term-length=1m";
    private const string Signals = "aeron:udp?endpoint=239.192.88.3:26877|interface=127.0.0.1|term-length=64k";

    private static long Number(string text, string pattern)
    {
        Match m = Regex.Match(text, pattern);
        Assert.True(m.Success, $"'{pattern}' not in:\n{text}");
        return long.Parse(m.Groups[1].Value.Replace(",", ""));
    }

    [Fact]
    public void Box_b_rebuilds_box_a_books_from_the_aeron_events_and_its_signals_reach_box_a()
    {
        var (code, output, err) = CommandRunner.Run("demo", "--aeron", "--messages", "150000", "--events-channel", Events, "--signals-channel", Signals);
        Assert.True(code == 0, output + err);
        long eventsA = Number(output, @"-> ([\d,]+) events,");
        long eventsB = Number(output, @"box B: ([\d,]+) events received");
        long published = Number(output, @"([\d,]+) signals published");
        long received = Number(output, @"([\d,]+) signals received from box B");
        Assert.True(eventsA >= 150_000, output);
        Assert.Equal(eventsA, eventsB);
        Assert.Equal(published, received);
        Assert.True(published > 0, "no pattern fired: the signal stream was not exercised\n" + output);
        Match checksums = Regex.Match(output, @"box A ([0-9a-f]{16}), box B ([0-9a-f]{16}): equal");
        Assert.True(checksums.Success, output);
        Assert.Equal(checksums.Groups[1].Value, checksums.Groups[2].Value);
    }

    [Fact]
    public void A_bad_channel_is_a_usage_error_naming_the_option_and_the_key()
    {
        var (code, _, err) = CommandRunner.Run("demo", "--aeron", "--events-channel", "aeron:udp?endpoint=239.192.88.2:26875");
        Assert.Equal(2, code);
        Assert.Contains("--events-channel: Aeron channel: endpoint=239.192.88.2:26875: a multicast data group must end in an odd byte", err);
    }
}
