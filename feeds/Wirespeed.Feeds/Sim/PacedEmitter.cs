using System;
using System.Threading;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Sim;

/// <summary>Outcome of one paced run.</summary>
/// <param name="Messages">ITCH messages sent.</param>
/// <param name="Packets">MoldUDP64 packets sent (end of session included).</param>
/// <param name="Bytes">UDP payload bytes sent.</param>
/// <param name="ElapsedSeconds">Wall time of the run, monotonic clock.</param>
/// <param name="TargetMessagesPerSecond">Rate asked for.</param>
/// <param name="AchievedMessagesPerSecond">Messages / ElapsedSeconds.</param>
/// <param name="MaxBacklogMessages">Largest number of messages the emitter was behind schedule (after a host stall or a long sleep).</param>
/// <param name="Sleeps">How many times it slept because it was ahead.</param>
/// <param name="EndedBy">Why it stopped.</param>
public readonly record struct PacedRunResult(long Messages, long Packets, long Bytes, double ElapsedSeconds, double TargetMessagesPerSecond,
    double AchievedMessagesPerSecond, long MaxBacklogMessages, long Sleeps, PacedRunEnd EndedBy);

/// <summary>Why a paced run stopped.</summary>
public enum PacedRunEnd : byte
{
    MessageLimit = 0,
    TimeLimit = 1,
    FeedEnded = 2,
}

/// <summary>
/// Sends a <see cref="SimFeed"/> at a target message rate. The schedule is "n messages due by t = n / rate": whatever is
/// due is packed into as few packets as the payload allows (so millions of messages/s become a few hundred thousand
/// packets/s), and when the emitter is ahead it sleeps rather than spins (PLATFORM.md: never two spinning threads on
/// this 2-vCPU host). A sleep or a host stall leaves a backlog that the next iteration catches up on, so the average
/// rate holds even though Thread.Sleep has millisecond granularity. Bounded by a message count and a wall-time limit.
/// </summary>
public static class PacedEmitter
{
    /// <summary>
    /// Runs on the calling thread until <paramref name="maxMessages"/> are sent, <paramref name="maxDuration"/> has
    /// passed, or the feed ends. Allocation-free apart from the result.
    /// </summary>
    public static PacedRunResult Run<TSink>(SimFeed feed, ref TSink sink, double targetMessagesPerSecond, long maxMessages, TimeSpan maxDuration)
        where TSink : struct, IPacketSink
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (!(targetMessagesPerSecond > 0 && targetMessagesPerSecond <= 1e9))
            throw new ArgumentOutOfRangeException(nameof(targetMessagesPerSecond), targetMessagesPerSecond, "Target rate must be in (0, 1e9] messages/s.");
        if (maxMessages < 1) throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, "maxMessages must be ≥ 1.");
        if (maxDuration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxDuration), maxDuration, "maxDuration must be positive.");

        double nsPerMessage = 1e9 / targetMessagesPerSecond;
        long startMessages = feed.MessagesPacked;
        long packets = 0, bytes = 0, maxBacklog = 0, sleeps = 0;
        long start = MonoClock.NowNs();
        long deadline = start + (long)(maxDuration.TotalMilliseconds * 1e6);
        PacedRunEnd end = PacedRunEnd.MessageLimit;
        while (true)
        {
            long sent = feed.MessagesPacked - startMessages;
            if (sent >= maxMessages) { end = PacedRunEnd.MessageLimit; break; }
            long now = MonoClock.NowNs();
            if (now >= deadline) { end = PacedRunEnd.TimeLimit; break; }
            long due = Math.Min(maxMessages, 1 + (long)((now - start) / nsPerMessage));
            long backlog = due - sent;
            if (backlog <= 0)
            {
                sleeps++;
                Thread.Sleep(1);
                continue;
            }
            if (backlog > maxBacklog) maxBacklog = backlog;
            // Send what is due, packet by packet, re-reading the clock only between bursts.
            while (backlog > 0)
            {
                long before = feed.MessagesPacked;
                ReadOnlySpan<byte> packet = feed.NextPacket((int)Math.Min(backlog, int.MaxValue));
                if (packet.IsEmpty) break;
                sink.OnPacket(packet, feed.LastTimestampNs);
                packets++;
                bytes += packet.Length;
                backlog -= feed.MessagesPacked - before;
                if (feed.Ended) break;
            }
            if (feed.Ended) { end = PacedRunEnd.FeedEnded; break; }
        }
        double elapsed = (MonoClock.NowNs() - start) / 1e9;
        long messages = feed.MessagesPacked - startMessages;
        return new PacedRunResult(messages, packets, bytes, elapsed, targetMessagesPerSecond, elapsed > 0 ? messages / elapsed : 0, maxBacklog, sleeps, end);
    }
}
