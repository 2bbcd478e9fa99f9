using System;
using System.Net;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// An Aeron subscription (AERON.md §c "Receiver"), unicast or multicast; usually made from a channel URI with
/// <see cref="FromChannel(string, int)"/>. Checked once by <see cref="Validated"/>.
/// </summary>
public sealed record AeronSubscriptionOptions
{
    /// <summary>
    /// Unicast: the endpoint to bind; control frames leave from this socket (§B.10). Multicast (a group in 224.0.0.0/4):
    /// the data group G and port; the socket binds 0.0.0.0:port and control goes to <see cref="ControlEndpoint"/>. Required.
    /// </summary>
    public IPEndPoint? Endpoint { get; init; }
    /// <summary>Multicast: the interface to join on and send control from (interface=). Default: 0.0.0.0, the kernel's choice.</summary>
    public IPAddress? Interface { get; init; }
    /// <summary>Multicast: where SMs and NAKs go; null: G+1, same port (§B.10). Default: null.</summary>
    public IPEndPoint? ControlEndpoint { get; init; }
    /// <summary>Multicast TTL of the control frames (ttl=); null: the system's (1). Default: null.</summary>
    public int? Ttl { get; init; }
    /// <summary>false: gaps are filled (skipped, counted in the loss report) when their NAK would fire, never NAKed (§B.12). Default: true.</summary>
    public bool Reliable { get; init; } = true;
    /// <summary>Multicast (or a SETUP with the GROUP flag): the largest randomised NAK delay (§B.12). Default: 10 ms.</summary>
    public TimeSpan MulticastNakMaxBackoff { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The endpoint is an IPv4 multicast group.</summary>
    public bool IsMulticast => Endpoint is not null && AeronChannel.IsMulticastAddress(Endpoint.Address);

    /// <summary>Options from a channel URI (AERON.md §d) and a stream id; throws <see cref="ArgumentException"/> naming the key and the fix.</summary>
    public static AeronSubscriptionOptions FromChannel(string channel, int streamId) => FromChannel(AeronChannel.Parse(channel), streamId);

    /// <summary>Options from a parsed channel; the URI's term-length caps the term lengths accepted, nak-delay sets the unicast NAK delay.</summary>
    public static AeronSubscriptionOptions FromChannel(AeronChannel channel, int streamId)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var o = new AeronSubscriptionOptions
        {
            Endpoint = channel.Endpoint, StreamId = streamId, Interface = channel.Interface?.Address, Reliable = channel.Reliable,
            ControlEndpoint = channel.IsMulticast ? channel.ControlEndpoint : null, Ttl = channel.Ttl,
        };
        if (channel.TermLength is { } t) o = o with { MaxTermLength = t };
        if (channel.NakDelay is { } d) o = o with { NakDelay = d, NakRetry = d * 100 > TimeSpan.Zero ? d * 100 : o.NakRetry };
        return o.Validated();
    }
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
        if (IsMulticast && (Endpoint!.Address.GetAddressBytes()[3] & 1) == 0)
            throw new ArgumentException($"{nameof(Endpoint)}={Endpoint}: a multicast data group must end in an odd byte (control goes to the group + 1), e.g. 239.192.0.3.");
        if (Ttl is < 0 or > 255) throw new ArgumentException($"{nameof(Ttl)}={Ttl} must be from 0 to 255.");
        if (MulticastNakMaxBackoff <= TimeSpan.Zero) throw new ArgumentException($"{nameof(MulticastNakMaxBackoff)} must be positive, e.g. 10 ms.");
        if (NakDelay < TimeSpan.Zero || NakRetry <= TimeSpan.Zero || ImageLiveness <= TimeSpan.Zero)
            throw new ArgumentException($"{nameof(NakDelay)}, {nameof(NakRetry)} and {nameof(ImageLiveness)} must be positive.");
        return this;
    }
}
