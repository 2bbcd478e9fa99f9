using System;
using System.Net;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// An Aeron publication (AERON.md §c "Sender"), unicast or multicast; usually made from a channel URI with
/// <see cref="FromChannel(string, int)"/>. Checked once by <see cref="Validated"/>.
/// </summary>
public sealed record AeronPublicationOptions
{
    /// <summary>Unicast: the subscriber's endpoint. Multicast (a group in 224.0.0.0/4): the data group G and port. Required.</summary>
    public IPEndPoint? Endpoint { get; init; }
    /// <summary>interface=: unicast, the local address (and port, 0 for any) to send from; multicast, the interface of
    /// IP_MULTICAST_IF and of the control group's join. Default: null (0.0.0.0).</summary>
    public IPEndPoint? Interface { get; init; }
    /// <summary>Multicast: the control group SMs and NAKs arrive on; null: G+1, same port (§B.10). Default: null.</summary>
    public IPEndPoint? ControlEndpoint { get; init; }
    /// <summary>Multicast TTL (ttl=), also carried by SETUP (§B.4); null: the system's (1). Default: null.</summary>
    public int? Ttl { get; init; }
    /// <summary>Flow control (fc=, §B.11): max (unicast and multicast default) or min. Default: max.</summary>
    public AeronFlowControl FlowControl { get; init; } = AeronFlowControl.Default;

    /// <summary>The endpoint is an IPv4 multicast group.</summary>
    public bool IsMulticast => Endpoint is not null && AeronChannel.IsMulticastAddress(Endpoint.Address);

    /// <summary>Options from a channel URI (AERON.md §d) and a stream id; throws <see cref="ArgumentException"/> naming the key and the fix.</summary>
    public static AeronPublicationOptions FromChannel(string channel, int streamId) => FromChannel(AeronChannel.Parse(channel), streamId);

    public static AeronPublicationOptions FromChannel(AeronChannel channel, int streamId)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var o = new AeronPublicationOptions
        {
            Endpoint = channel.Endpoint, StreamId = streamId, Interface = channel.Interface, Ttl = channel.Ttl, FlowControl = channel.FlowControl,
            ControlEndpoint = channel.IsMulticast ? channel.ControlEndpoint : null, SessionId = channel.SessionId, InitialTermId = channel.InitialTermId,
        };
        if (channel.TermLength is { } t) o = o with { TermLength = t };
        if (channel.Mtu is { } m) o = o with { Mtu = m };
        if (channel.Linger is { } l) o = o with { Linger = l };
        return o.Validated();
    }
    /// <summary>Stream id; 0 is reserved (§B.9). Default: 1001.</summary>
    public int StreamId { get; init; } = 1001;
    /// <summary>Term length: a power of two from 64 KiB to 1 GiB. Default: 1 MiB (3 terms are mapped here and by every receiver).</summary>
    public int TermLength { get; init; } = 1024 * 1024;
    /// <summary>MTU: a multiple of 32 up to 65504. Default: 1408 (Aeron's).</summary>
    public int Mtu { get; init; } = 1408;
    /// <summary>Session id; null: random (§B.9). Default: null.</summary>
    public int? SessionId { get; init; }
    /// <summary>Initial term id; null: random (§B.9). Default: null.</summary>
    public int? InitialTermId { get; init; }
    /// <summary>How long EOS heartbeats continue after close when no EOS status message comes (§B.13). Default: 5 s.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(5);

    public AeronPublicationOptions Validated()
    {
        if (Endpoint is null) throw new ArgumentException($"{nameof(Endpoint)} is required: the subscriber's address and port, e.g. 127.0.0.1:40123.");
        if (StreamId == 0) throw new ArgumentException($"{nameof(StreamId)}=0 is reserved by Aeron; use any other int, e.g. 1001.");
        if (!AeronPosition.IsValidTermLength(TermLength))
            throw new ArgumentException($"{nameof(TermLength)}={TermLength} must be a power of two from 65536 to 1073741824.");
        if (!AeronPosition.IsValidMtu(Mtu)) throw new ArgumentException($"{nameof(Mtu)}={Mtu} must be a multiple of 32 from 32 to 65504, e.g. 1408.");
        if (IsMulticast && (Endpoint!.Address.GetAddressBytes()[3] & 1) == 0)
            throw new ArgumentException($"{nameof(Endpoint)}={Endpoint}: a multicast data group must end in an odd byte (control goes to the group + 1), e.g. 239.192.0.3.");
        if (Ttl is < 0 or > 255) throw new ArgumentException($"{nameof(Ttl)}={Ttl} must be from 0 to 255.");
        if (Mtu > TermLength / 2) throw new ArgumentException($"{nameof(Mtu)}={Mtu} must not exceed {nameof(TermLength)} / 2 ({TermLength / 2}).");
        if (Linger < TimeSpan.Zero) throw new ArgumentException($"{nameof(Linger)} must not be negative.");
        return this;
    }
}
