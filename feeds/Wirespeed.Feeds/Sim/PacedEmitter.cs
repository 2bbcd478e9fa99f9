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
    /// <summary>The caller asked it to stop (demo on SIGINT or SIGTERM).</summary>
    Stopped = 3,
}

/// <summary>
/// Sends a <see cref="SimFeed"/> at a target message rate. The schedule is "n messages due by t = n / rate": whatever is
/// due is packed into as few packets as the payload allows (so millions of messages/s become tens of thousands of
/// packets/s), and while it is ahead, or less than a packet's worth is due and the oldest due message has waited under
/// 1 ms, it sleeps rather than spins (PLATFORM.md: never two spinning threads on
/// this 2-vCPU host). A sleep or a host stall leaves a backlog that the next iteration catches up on, so the average
/// rate holds even though Thread.Sleep has millisecond granularity. Bounded by a message count and a wall-time limit.
/// </summary>
public static class PacedEmitter
{
    /// <summary>
    /// Runs on the calling thread until <paramref name="maxMessages"/> are sent, <paramref name="maxDuration"/> has
    /// passed, or the feed ends. Allocation-free apart from the result.
    /// </summary>
    /// <param name="feed">Packet source.</param>
    /// <param name="sink">Where packets go.</param>
    /// <param name="targetMessagesPerSecond">Message rate to hold, up to several million/s (limited by generation and send cost).</param>
    /// <param name="maxMessages">Stop after this many messages.</param>
    /// <param name="maxDuration">Stop after this much wall time.</param>
    /// <param name="batchMessages">Wait (sleep) while fewer than this many messages are due and the oldest has waited less than 1 ms,
    /// so packets are full and system calls few. Default: 32 (about a 1400-byte packet of ITCH messages).</param>
    /// <param name="stop">Ends the run between two packets once cancelled (every packet begun is sent whole).</param>
    public static PacedRunResult Run<TSink>(SimFeed feed, ref TSink sink, double targetMessagesPerSecond, long maxMessages, TimeSpan maxDuration,
        int batchMessages = 32, CancellationToken stop = default)
        where TSink : struct, IPacketSink
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (!(targetMessagesPerSecond > 0 && targetMessagesPerSecond <= 1e9))
            throw new ArgumentOutOfRangeException(nameof(targetMessagesPerSecond), targetMessagesPerSecond, "Target rate must be in (0, 1e9] messages/s.");
        if (maxMessages < 1) throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, "maxMessages must be ≥ 1.");
        if (maxDuration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxDuration), maxDuration, "maxDuration must be positive.");
        if (batchMessages < 1) throw new ArgumentOutOfRangeException(nameof(batchMessages), batchMessages, "batchMessages must be ≥ 1.");
        const long MaxBatchDelayNs = 1_000_000;

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
            if (stop.IsCancellationRequested) { end = PacedRunEnd.Stopped; break; }
            long due = Math.Min(maxMessages, 1 + (long)((now - start) / nsPerMessage));
            long backlog = due - sent;
            // Ahead of schedule, or too little due to fill a packet while the oldest due message is still fresh: sleep.
            long oldestDueAt = start + (long)(sent * nsPerMessage);
            if (backlog <= 0 || (backlog < batchMessages && due < maxMessages && now - oldestDueAt < MaxBatchDelayNs))
            {
                sleeps++;
                Thread.Sleep(1);
                continue;
            }
            if (backlog > maxBacklog) maxBacklog = backlog;
            // Send what is due, packet by packet.
            while (backlog > 0)
            {
                long before = feed.MessagesPacked;
                ReadOnlySpan<byte> packet = feed.NextPacket((int)Math.Min(backlog, int.MaxValue));
                if (packet.IsEmpty) break;
                sink.OnPacket(packet, feed.LastTimestampNs);
                packets++;
                bytes += packet.Length;
                backlog -= feed.MessagesPacked - before;
                if (feed.Ended || MonoClock.NowNs() >= deadline || stop.IsCancellationRequested) break; // a large backlog must not outlive the time limit or a stop
            }
            if (feed.Ended) { end = PacedRunEnd.FeedEnded; break; }
        }
        double elapsed = (MonoClock.NowNs() - start) / 1e9;
        long messages = feed.MessagesPacked - startMessages;
        return new PacedRunResult(messages, packets, bytes, elapsed, targetMessagesPerSecond, elapsed > 0 ? messages / elapsed : 0, maxBacklog, sleeps, end);
    }
}
