using System.Collections.Generic;
using System.Linq;
using Wirespeed.Hosting.Soak;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>The soak's pass criteria on rows made by hand: a clean day passes, and each fault fails its own criterion by name.</summary>
public class SoakVerdictTests
{
    private const long Mib = 1 << 20;

    /// <summary>Eight flat, clean hours: 200 MiB, no GC, service p50 600 ns, no loss.</summary>
    private static List<SoakInterval> CleanDay() => Enumerable.Range(1, 8).Select(i => new SoakInterval
    {
        Index = i,
        FromSeconds = (i - 1) * 3600,
        ToSeconds = i * 3600,
        RssBytes = 200 * Mib,
        ServiceP50Ns = 600,
        Messages = 1000,
    }).ToList();

    private static SoakCriterion Only(IReadOnlyList<SoakCriterion> criteria, string failing)
    {
        Assert.False(SoakVerdict.Passed(criteria));
        Assert.All(criteria.Where(c => c.Name != failing), c => Assert.True(c.Passed, c.Name + ": " + c.Detail));
        return Assert.Single(criteria, c => c.Name == failing);
    }

    [Fact]
    public void A_flat_clean_day_passes_every_criterion()
    {
        var criteria = SoakVerdict.Check(CleanDay(), lostAtEnd: 0);
        Assert.Equal(new[] { "memory", "gc", "drift", "loss", "pools" }, criteria.Select(c => c.Name));
        Assert.True(SoakVerdict.Passed(criteria), string.Join("; ", criteria.Select(c => c.Detail)));
    }

    [Fact]
    public void RSS_growth_beyond_the_bound_after_the_first_interval_fails_memory()
    {
        var rows = CleanDay();
        rows[5] = rows[5] with { RssBytes = 200 * Mib + 16 * Mib };   // 200 MiB × 5 % = 10 MiB < the 16 MiB floor: at the bound
        Assert.True(SoakVerdict.Passed(SoakVerdict.Check(rows, 0)));
        rows[5] = rows[5] with { RssBytes = 200 * Mib + 16 * Mib + 1 };
        var c = Only(SoakVerdict.Check(rows, 0), "memory");
        Assert.False(c.Passed);
        Assert.Contains("interval 6", c.Detail);
        Assert.Contains("16.0 MiB", c.Detail);
    }

    [Fact]
    public void RSS_growth_within_five_percent_of_a_large_process_passes()
    {
        var rows = CleanDay().Select(r => r with { RssBytes = 1000 * Mib }).ToList();
        rows[7] = rows[7] with { RssBytes = 1049 * Mib };   // 49 MiB: over the floor, under 5 % (50 MiB)
        Assert.True(SoakVerdict.Passed(SoakVerdict.Check(rows, 0)));
        rows[7] = rows[7] with { RssBytes = 1051 * Mib };
        Only(SoakVerdict.Check(rows, 0), "memory");
    }

    [Fact]
    public void One_collection_after_the_first_interval_fails_gc_and_says_where()
    {
        var rows = CleanDay();
        rows[0] = rows[0] with { Gen0 = 3 };   // warm-up
        Assert.True(SoakVerdict.Passed(SoakVerdict.Check(rows, 0)));
        rows[3] = rows[3] with { Gen2 = 1 };
        var c = Only(SoakVerdict.Check(rows, 0), "gc");
        Assert.Contains("1 collections", c.Detail);
        Assert.Contains("interval 4", c.Detail);
    }

    [Fact]
    public void A_last_interval_slower_than_one_and_a_half_times_the_first_fails_drift()
    {
        var rows = CleanDay();
        rows[7] = rows[7] with { ServiceP50Ns = 900 };   // exactly 1.5×: still noise
        Assert.True(SoakVerdict.Passed(SoakVerdict.Check(rows, 0)));
        rows[7] = rows[7] with { ServiceP50Ns = 901 };
        var c = Only(SoakVerdict.Check(rows, 0), "drift");
        Assert.Contains("600 ns", c.Detail);
        Assert.Contains("901 ns", c.Detail);
    }

    [Fact]
    public void A_gap_a_drop_or_a_message_never_received_fails_loss()
    {
        var rows = CleanDay();
        rows[0] = rows[0] with { GapMessages = 1 };   // loss counts in the warm-up interval too
        Assert.Contains("1 gap messages", Only(SoakVerdict.Check(rows, 0), "loss").Detail);
        rows = CleanDay();
        rows[2] = rows[2] with { Drops = 2 };
        Assert.Contains("2 ring drops", Only(SoakVerdict.Check(rows, 0), "loss").Detail);
        Assert.Contains("5 messages sent and not received", Only(SoakVerdict.Check(CleanDay(), 5), "loss").Detail);
    }

    [Fact]
    public void An_empty_order_or_level_pool_fails_pools_and_says_when_first()
    {
        var rows = CleanDay();
        rows[4] = rows[4] with { PoolExhausted = 7 };
        rows[6] = rows[6] with { PoolExhausted = 1 };
        var c = Only(SoakVerdict.Check(rows, 0), "pools");
        Assert.Contains("8 times", c.Detail);
        Assert.Contains("first in interval 5", c.Detail);
    }

    [Fact]
    public void Several_faults_fail_several_criteria()
    {
        var rows = CleanDay();
        rows[7] = rows[7] with { RssBytes = 400 * Mib, Gen0 = 1, ServiceP50Ns = 5000, GapMessages = 9, PoolExhausted = 3 };
        var criteria = SoakVerdict.Check(rows, 0);
        Assert.Equal(new[] { "memory", "gc", "drift", "loss", "pools" }, criteria.Where(c => !c.Passed).Select(c => c.Name));
    }

    [Fact]
    public void Fewer_than_two_intervals_cannot_pass()
    {
        var c = Assert.Single(SoakVerdict.Check(CleanDay().Take(1).ToList(), 0));
        Assert.False(c.Passed);
        Assert.Equal("intervals", c.Name);
    }
}

/// <summary>The shape of the soak's day.</summary>
public class SoakDayTests
{
    [Fact]
    public void The_phases_cover_the_day_in_order_without_gaps_with_the_crash_and_the_news_where_named()
    {
        var p = SoakDay.Phases;
        Assert.Equal(0, p[0].Start);
        Assert.Equal(1, p[^1].End);
        for (int i = 1; i < p.Count; i++) Assert.Equal(p[i - 1].End, p[i].Start);
        Assert.Equal("flash crash", p[SoakDay.FlashCrashPhase].Name);
        Assert.Equal("news spike", p[SoakDay.NewsSpikePhase].Name);
        Assert.Equal(new[] { "pre-open", "open burst", "normal", "flash crash", "news spike", "close burst" }, p.Select(x => x.Name).Distinct());
    }

    [Fact]
    public void Messages_follow_the_rates_and_the_shares_of_the_day()
    {
        // 1000 msg/s normal over a 1600 s day: pre-open 100 s at 200/s, open 100 s at 4000/s ...
        Assert.Equal(20_000, SoakDay.MessagesOf(0, 1000, 1600));
        Assert.Equal(400_000, SoakDay.MessagesOf(1, 1000, 1600));
        Assert.Equal(420_000, SoakDay.MessagesBefore(2, 1000, 1600));
        long total = 0;
        for (int i = 0; i < SoakDay.Phases.Count; i++) total += SoakDay.MessagesOf(i, 1000, 1600);
        Assert.Equal(total, SoakDay.Messages(1000, 1600));
    }

    [Fact]
    public void An_interval_names_the_phases_it_covers()
    {
        Assert.Equal("pre-open + open burst", SoakDay.Covering(0, 0.125));
        Assert.Equal("normal + flash crash", SoakDay.Covering(0.375, 0.5));
        Assert.Equal("normal", SoakDay.Covering(0.125, 0.25));
        Assert.Equal("close burst", SoakDay.At(0.99).Name);
        Assert.Equal("close burst", SoakDay.At(1).Name);
        Assert.Equal("pre-open", SoakDay.At(0).Name);
    }
}
