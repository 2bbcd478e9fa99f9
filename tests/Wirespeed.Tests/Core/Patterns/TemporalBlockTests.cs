using System;
using Wirespeed.Core.Patterns;
using Xunit;

namespace Wirespeed.Tests.Core.Patterns;

public class TemporalBlockTests
{
    [Fact]
    public void Events_within_fires_only_when_the_last_n_occurrences_fit_the_window()
    {
        var w = new EventsWithin(count: 3, windowNs: 100);
        Assert.False(w.Add(0));
        Assert.False(w.Add(50));
        Assert.True(w.Add(100));       // 0, 50, 100: span 100 = window
        Assert.False(w.Add(201));      // 50, 100, 201: span 151
        Assert.False(w.Add(250));      // 100, 201, 250: span 150
        Assert.True(w.Add(300));       // 201, 250, 300: span 99
    }

    [Fact]
    public void Events_within_starts_over_after_reset()
    {
        var w = new EventsWithin(2, 10);
        Assert.False(w.Add(0));
        w.Reset();
        Assert.False(w.Add(1));
        Assert.True(w.Add(2));
    }

    [Fact]
    public void Then_within_pairs_a_first_with_a_then_inside_the_window_only()
    {
        var s = new ThenWithin(windowNs: 1000);
        Assert.False(s.Then(5));              // nothing armed
        s.First(100);
        Assert.True(s.Then(1100));            // exactly the window
        Assert.False(s.Then(1101));           // one A pairs with one B
        s.First(2000);
        Assert.False(s.Then(3001));           // too late
        Assert.False(s.IsArmed);
        s.First(5000);
        Assert.False(s.Then(4999));           // B before A
        s.First(6000);                        // a later A replaces the earlier one
        Assert.True(s.Then(6900));
    }

    [Fact]
    public void Holds_for_fires_once_after_the_condition_held_long_enough_and_rearms_when_it_breaks()
    {
        var h = new HoldsFor(holdNs: 100);
        Assert.False(h.Update(true, 0));
        Assert.False(h.Update(true, 99));
        Assert.True(h.Update(true, 100));
        Assert.False(h.Update(true, 500));    // once per episode
        Assert.False(h.Update(false, 600));
        Assert.False(h.Update(true, 700));
        Assert.False(h.Update(false, 750));   // broke before 100 ns
        Assert.False(h.Update(true, 760));
        Assert.True(h.Update(true, 900));
        Assert.Equal(760, h.Since);
    }

    [Fact]
    public void Holds_for_zero_fires_at_the_first_true()
    {
        var h = new HoldsFor(0);
        Assert.True(h.Update(true, 42));
        Assert.False(h.Update(true, 43));
    }

    [Fact]
    public void Blocks_refuse_a_window_of_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventsWithin(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThenWithin(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldsFor(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingStats(0));
    }

    [Fact]
    public void Rolling_stats_match_a_direct_computation_over_the_last_n_samples()
    {
        var r = new RollingStats(16);
        var rng = new Random(3);
        var all = new double[1000];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = 4.6 + 0.001 * rng.NextDouble();   // a log price: large constant, small moves
            r.Push(all[i]);
            int n = Math.Min(i + 1, 16);
            double mean = 0, sq = 0;
            for (int k = i - n + 1; k <= i; k++) mean += all[k];
            mean /= n;
            for (int k = i - n + 1; k <= i; k++) sq += (all[k] - mean) * (all[k] - mean);
            Assert.Equal(mean, r.Mean, 12);
            if (n >= 2) Assert.Equal(Math.Sqrt(sq / n), r.StdDev, 9);
        }
        Assert.True(r.IsFull);
    }

    [Fact]
    public void Timed_series_answers_the_value_at_or_before_a_time()
    {
        var t = new TimedSeries(4);
        Assert.Equal(0, t.ValueAt(10));
        t.Push(10, 1);
        t.Push(20, 2);
        t.Push(30, 3);
        Assert.Equal(2, t.ValueAt(25));
        Assert.Equal(3, t.ValueAt(30));
        Assert.Equal(1, t.ValueAt(5));        // before the oldest: the oldest
        t.Push(40, 4);
        t.Push(50, 5);                        // 10 falls out
        Assert.Equal(2, t.ValueAt(15));
        Assert.Equal(5, t.Latest);
    }
}
