using System;
using System.Threading;
using Wirespeed.Core.Time;
using Xunit;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>Drives a started <see cref="FeedHost"/> over in-process packets until everything is delivered, bounded in time.</summary>
internal static class HostRun
{
    /// <summary>
    /// Lets every <paramref name="packets"/> source go, waits until <paramref name="messages"/> events are delivered (after
    /// <paramref name="warmup"/> of them, <paramref name="atWarmup"/> runs once), stops the host and asserts nothing is missing.
    /// </summary>
    /// <remarks>
    /// When the wait fails, the host is stopped before the failure propagates: its workers busy-spin, and a host left
    /// running by a failed test (not every caller disposes it) starved the rest of a CI run and ended it in a crash.
    /// </remarks>
    public static void UntilDelivered(FeedHost host, PacedBlobState[] packets, long messages, Action<FeedHost>? atWarmup = null, long warmup = 0)
    {
        try
        {
            foreach (var p in packets) p.Begin();
            if (atWarmup is not null)
            {
                WaitFor(() => host.Delivered >= warmup, "warm-up");
                atWarmup(host);
            }
            WaitFor(() => host.Delivered >= messages, $"{messages:N0} events delivered");
        }
        catch
        {
            try { host.Stop(); } catch (Exception) { }   // the wait's failure is the one to report
            throw;
        }
        host.Stop();
        Assert.Equal(messages, host.Delivered);
    }

    /// <summary>Polls <paramref name="done"/> every 5 ms; fails the test after 90 s.</summary>
    public static void WaitFor(Func<bool> done, string what)
    {
        long deadline = MonoClock.NowNs() + 90_000_000_000;
        while (!done())
        {
            Assert.True(MonoClock.NowNs() < deadline, $"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }
}
