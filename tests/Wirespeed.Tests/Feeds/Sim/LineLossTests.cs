using System;
using Wirespeed.Feeds.Sim;
using Xunit;
using static Wirespeed.Tests.Feeds.Mold.Arbitration.MoldTape;

namespace Wirespeed.Tests.Feeds.Sim;

/// <summary>--loss: the text of a loss plan, and each model's draws over MoldUDP64 packets.</summary>
public class LineLossTests
{
    [Theory]
    [InlineData("1%", "A=1%,B=1%,both=none")]
    [InlineData("0%", "none")]
    [InlineData("none", "none")]
    [InlineData("A=1%,B=burst:10000", "A=1%,B=burst:10000@100000,both=none")]
    [InlineData("B=dead", "A=none,B=dead,both=none")]
    [InlineData(" both = 0.5% , a=burst:5@7 ", "A=burst:5@7,B=none,both=0.5%")]
    public void A_plan_is_read_as_written(string text, string reads)
        => Assert.Equal(reads, LossPlan.Parse(text).ToString());

    [Theory]
    [InlineData("1", "P%")]
    [InlineData("101%", "percentage")]
    [InlineData("burst:0", "burst:N")]
    [InlineData("burst:5@0", "burst:N")]
    [InlineData("C=1%", "not a side")]
    [InlineData("A=sometimes", "not a loss model")]
    [InlineData("=1%", "SIDE=MODEL")]
    public void A_bad_plan_says_what_is_allowed(string text, string hint)
        => Assert.Contains(hint, Assert.Throws<FormatException>(() => LossPlan.Parse(text)).Message);

    [Fact]
    public void Random_loss_drops_about_its_share_and_repeats_with_its_seed()
    {
        var packets = Packets("LOSSTEST01", 1, 100_000, 1);
        var first = new LossDraw(LossModel.Parse("2%"), 9);
        var again = new LossDraw(LossModel.Parse("2%"), 9);
        int dropped = 0;
        foreach (var p in packets)
        {
            bool d = first.Drops(p);
            Assert.Equal(d, again.Drops(p));
            if (d) dropped++;
        }
        Assert.InRange(dropped, 1_600, 2_400);
        Assert.Equal(dropped, first.PacketsDropped);
        Assert.Equal(dropped, first.MessagesDropped);
    }

    [Fact]
    public void A_burst_drops_exactly_the_packets_that_carry_its_messages_and_dead_drops_everything()
    {
        var burst = new LossDraw(LossModel.Parse("burst:25@101"), 1);
        var dead = new LossDraw(LossModel.Parse("dead"), 1);
        foreach (var p in Packets("LOSSTEST01", 1, 1_000, 10)) { burst.Drops(p); Assert.True(dead.Drops(p)); }
        Assert.Equal(3, burst.PacketsDropped);     // 101..110, 111..120, 121..130
        Assert.Equal(30, burst.MessagesDropped);
        Assert.False(burst.Drops(EndOfSession("LOSSTEST01", 1001)));
        Assert.True(dead.Drops(Heartbeat("LOSSTEST01", 1001)));
        Assert.False(new LossDraw(LossModel.None, 1).Drops(Packet("LOSSTEST01", 1, 1)));
    }
}
