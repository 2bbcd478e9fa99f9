using System;
using System.Net;

namespace Wirespeed.Feeds.Mold.Rerequest;

/// <summary>Options of the MoldUDP64 re-request client of one line; validated once at construction.</summary>
public sealed record MoldRerequesterOptions
{
    /// <summary>The line's re-request server (unicast address and port). Required.</summary>
    public IPEndPoint? Server { get; init; }
    /// <summary>Local address the request socket binds (port chosen by the kernel). Default: 127.0.0.1.</summary>
    public IPAddress LocalAddress { get; init; } = IPAddress.Loopback;
    /// <summary>Most messages asked for in one request packet; larger ranges are split. Default: 1000.</summary>
    public int MaxMessagesPerRequest { get; init; } = 1000;
    /// <summary>Request packets per second at most (retries included); a token bucket. Default: 2000.</summary>
    public int MaxRequestsPerSecond { get; init; } = 2000;
    /// <summary>Request packets that may go out back to back before the rate applies. Default: 32.</summary>
    public int RequestBurst { get; init; } = 32;
    /// <summary>How long a request waits for its range to be filled before it is sent again, ns. Default: 20,000,000 (20 ms).</summary>
    public long TimeoutNs { get; init; } = 20_000_000;
    /// <summary>Each retry waits this many times longer than the one before. Default: 2.</summary>
    public double Backoff { get; init; } = 2.0;
    /// <summary>Retries after the first send; then the range is given up (counted; the line stays in its gap). Default: 5.</summary>
    public int MaxRetries { get; init; } = 5;
    /// <summary>Ranges the receiving thread may queue for the requester thread; power of two. Default: 256.</summary>
    public int RequestQueue { get; init; } = 256;
    /// <summary>Request packets in flight at once. Default: 256.</summary>
    public int MaxOutstanding { get; init; } = 256;
    /// <summary>Responses queued for the receiving thread; power of two. Default: 1024.</summary>
    public int ResponseSlots { get; init; } = 1024;
    /// <summary>Largest response datagram kept, bytes; a larger one is counted and dropped. Default: 1472.</summary>
    public int MaxPacketBytes { get; init; } = 1472;

    public MoldRerequesterOptions Validated()
    {
        if (Server is null) throw new ArgumentException($"{nameof(Server)} is required: the re-request server's address and port, e.g. 127.0.0.1:30002.", nameof(Server));
        if (MaxMessagesPerRequest is < 1 or > 0xFFFE)
            throw new ArgumentException($"{nameof(MaxMessagesPerRequest)}={MaxMessagesPerRequest} must be 1..65534 (0xFFFF means end of session), e.g. 1000.", nameof(MaxMessagesPerRequest));
        if (MaxRequestsPerSecond < 1) throw new ArgumentException($"{nameof(MaxRequestsPerSecond)}={MaxRequestsPerSecond} must be >= 1, e.g. 2000.", nameof(MaxRequestsPerSecond));
        if (RequestBurst < 1) throw new ArgumentException($"{nameof(RequestBurst)}={RequestBurst} must be >= 1, e.g. 32.", nameof(RequestBurst));
        if (TimeoutNs < 1_000) throw new ArgumentException($"{nameof(TimeoutNs)}={TimeoutNs} must be >= 1000 ns, e.g. 20000000 (20 ms).", nameof(TimeoutNs));
        if (!(Backoff >= 1.0)) throw new ArgumentException($"{nameof(Backoff)}={Backoff} must be >= 1, e.g. 2.", nameof(Backoff));
        if (MaxRetries < 0) throw new ArgumentException($"{nameof(MaxRetries)}={MaxRetries} must be >= 0, e.g. 5.", nameof(MaxRetries));
        if (RequestQueue < 2 || (RequestQueue & (RequestQueue - 1)) != 0) throw new ArgumentException($"{nameof(RequestQueue)}={RequestQueue} must be a power of two >= 2, e.g. 256.", nameof(RequestQueue));
        if (MaxOutstanding < 1) throw new ArgumentException($"{nameof(MaxOutstanding)}={MaxOutstanding} must be >= 1, e.g. 256.", nameof(MaxOutstanding));
        if (ResponseSlots < 2 || (ResponseSlots & (ResponseSlots - 1)) != 0) throw new ArgumentException($"{nameof(ResponseSlots)}={ResponseSlots} must be a power of two >= 2, e.g. 1024.", nameof(ResponseSlots));
        if (MaxPacketBytes is < 20 or > 65507) throw new ArgumentException($"{nameof(MaxPacketBytes)}={MaxPacketBytes} must be 20..65507, e.g. 1472.", nameof(MaxPacketBytes));
        return this;
    }
}

/// <summary>Counters of a re-request client. Written by its thread (or the receiving thread where noted); read anywhere.</summary>
public sealed class MoldRerequestCounters
{
    /// <summary>Ranges queued by the receiving thread.</summary>
    public long RangesQueued;
    /// <summary>Ranges refused because the queue was full (receiving thread; the arbiter offers them again).</summary>
    public long RangesRefused;
    /// <summary>Request packets sent (first sends and retries).</summary>
    public long RequestsSent;
    /// <summary>Request packets sent again after a timeout.</summary>
    public long Retries;
    /// <summary>Request packets whose range was filled (by a response or a live copy).</summary>
    public long Completed;
    /// <summary>Timeouts of requests beyond the line's first missing message, not sent again until progress reaches them
    /// (their answer may be held in the reorder window).</summary>
    public long RetriesDeferred;
    /// <summary>Request packets given up after MaxRetries.</summary>
    public long GaveUp;
    /// <summary>Requests dropped because the one ahead of them was given up (the line asks for them again).</summary>
    public long DroppedBehindGiveUp;
    /// <summary>Request packets dropped because the line changed session.</summary>
    public long StaleSession;
    /// <summary>Send errors (the kernel refused the datagram; retried on timeout).</summary>
    public long SendErrors;
    /// <summary>Times a send waited for the rate limit.</summary>
    public long RateLimited;
    /// <summary>Response datagrams received.</summary>
    public long Responses;
    /// <summary>Responses dropped: shorter than a MoldUDP64 header or longer than MaxPacketBytes.</summary>
    public long ResponsesMalformed;
    /// <summary>Responses dropped because the receiving thread had not taken the earlier ones (retried on timeout).</summary>
    public long ResponsesDropped;
    /// <summary>Request packets completed, and the sum and largest time from queueing to filled, ns.</summary>
    public long RecoveryNsTotal;
    public long RecoveryNsMax;
    /// <summary>Longest time the histogram tracks (a minute); longer ones are recorded as a minute.</summary>
    public const long RecoveryHighestNs = 60_000_000_000;
    /// <summary>
    /// Each completed request's time from queueing (the arbiter handing the range over, its gap wait after the gap was
    /// seen) to filled, ns; recorded by the client's thread, read after it stopped (or as an advisory figure).
    /// </summary>
    public readonly HdrHistogram.LongHistogram Recovery = new(1, RecoveryHighestNs, 3);
}
