using System;
using System.Net;

namespace Wirespeed.Feeds.Aeron;

/// <summary>A unicast Aeron subscription (AERON.md §c "Receiver"). Checked once by <see cref="Validated"/>.</summary>
public sealed record AeronSubscriptionOptions
{
    /// <summary>The endpoint to bind (aeron:udp?endpoint=…); control frames leave from this socket (§B.10). Required.</summary>
    public IPEndPoint? Endpoint { get; init; }
    /// <summary>Stream id. Default: 1001.</summary>
    public int StreamId { get; init; } = 1001;
    /// <summary>Images (publisher sessions) served at once; each maps 3 × <see cref="MaxTermLength"/>. Default: 4.</summary>
    public int MaxImages { get; init; } = 4;
    /// <summary>Largest term length a SETUP may announce. Default: 1 MiB.</summary>
    public int MaxTermLength { get; init; } = 1024 * 1024;
    /// <summary>Receiver window cap; the window sent is min(this, term length / 2) (§B.5). Default: 128 KiB (aeronmd's).</summary>
    public int ReceiverWindow { get; init; } = 128 * 1024;
    /// <summary>SO_RCVBUF asked for. Default: 2 MiB.</summary>
    public int ReceiveBufferBytes { get; init; } = 2 * 1024 * 1024;
    /// <summary>Delay before the first NAK of a gap (§B.12, unicast). Default: 100 µs.</summary>
    public TimeSpan NakDelay { get; init; } = TimeSpan.FromTicks(1000);
    /// <summary>NAK retry while the same gap persists (§B.12: delay × 100). Default: 10 ms.</summary>
    public TimeSpan NakRetry { get; init; } = TimeSpan.FromMilliseconds(10);
    /// <summary>Image liveness: no frame for this long closes the image (§B.13). Default: 10 s.</summary>
    public TimeSpan ImageLiveness { get; init; } = TimeSpan.FromSeconds(10);

    public AeronSubscriptionOptions Validated()
    {
        if (Endpoint is null) throw new ArgumentException($"{nameof(Endpoint)} is required: the address and port to bind, e.g. 127.0.0.1:40123.");
        if (StreamId == 0) throw new ArgumentException($"{nameof(StreamId)}=0 is reserved by Aeron; use any other int, e.g. 1001.");
        if (MaxImages < 1 || MaxImages > 1024) throw new ArgumentException($"{nameof(MaxImages)}={MaxImages} must be from 1 to 1024.");
        if (!AeronPosition.IsValidTermLength(MaxTermLength))
            throw new ArgumentException($"{nameof(MaxTermLength)}={MaxTermLength} must be a power of two from 65536 to 1073741824.");
        if (ReceiverWindow < 4096) throw new ArgumentException($"{nameof(ReceiverWindow)}={ReceiverWindow} must be at least 4096, e.g. 131072.");
        if (NakDelay < TimeSpan.Zero || NakRetry <= TimeSpan.Zero || ImageLiveness <= TimeSpan.Zero)
            throw new ArgumentException($"{nameof(NakDelay)}, {nameof(NakRetry)} and {nameof(ImageLiveness)} must be positive.");
        return this;
    }
}
