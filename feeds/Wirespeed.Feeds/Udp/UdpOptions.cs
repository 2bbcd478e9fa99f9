using System;
using System.Net;
using System.Net.Sockets;

namespace Wirespeed.Feeds.Udp;

/// <summary>Configuration of <see cref="UdpSocketSource"/>. Check it once at start-up with <see cref="Validated"/>.</summary>
public sealed record UdpOptions
{
    /// <summary>Multicast group to join (any-source), or empty for a unicast bind. Default: "239.192.0.1".</summary>
    public string Group { get; init; } = "239.192.0.1";
    /// <summary>UDP port. Default: 26400.</summary>
    public int Port { get; init; } = 26_400;
    /// <summary>Address of the interface to join the group on, or to bind to for unicast. Default: "127.0.0.1".</summary>
    public string Interface { get; init; } = "127.0.0.1";
    /// <summary>SO_RCVBUF request in bytes; the kernel may grant another size (Linux doubles it and caps at net.core.rmem_max). Default: 4 MiB.</summary>
    public int ReceiveBufferBytes { get; init; } = 4 << 20;
    /// <summary>Largest datagram accepted; a longer one is counted as truncated and dropped. Default: 2048 (a 1500-byte MTU frame fits).</summary>
    public int MaxDatagramBytes { get; init; } = 2048;
    /// <summary>Feed line id stamped on each packet. Default: 0.</summary>
    public byte LineId { get; init; }
    /// <summary>Source address for a source-specific join (IP_ADD_SOURCE_MEMBERSHIP), or empty for any-source. Used by the
    /// native transports (<see cref="MmsgUdpSource"/>, <see cref="UringUdpSource"/>). Default: "".</summary>
    public string Source { get; init; } = "";
    /// <summary>Interface index for any-source joins (ip_mreqn), or 0 to choose by <see cref="Interface"/>. Default: 0.</summary>
    public int InterfaceIndex { get; init; }
    /// <summary>Try SO_RCVBUFFORCE first (needs CAP_NET_ADMIN; ignores net.core.rmem_max), falling back to SO_RCVBUF. Default: true.</summary>
    public bool ForceReceiveBuffer { get; init; } = true;

    /// <summary>The parsed source-specific source, or null for any-source. Valid after <see cref="Validated"/>.</summary>
    public IPAddress? SourceAddress => string.IsNullOrEmpty(Source) ? null : IPAddress.Parse(Source);

    /// <summary>The parsed group, or null for unicast. Valid after <see cref="Validated"/>.</summary>
    public IPAddress? GroupAddress => string.IsNullOrEmpty(Group) ? null : IPAddress.Parse(Group);
    /// <summary>The parsed interface address. Valid after <see cref="Validated"/>.</summary>
    public IPAddress InterfaceAddress => IPAddress.Parse(Interface);

    /// <summary>Returns this instance if every setting is usable; otherwise throws naming the setting and the fix.</summary>
    public UdpOptions Validated()
    {
        if (!string.IsNullOrEmpty(Group))
        {
            if (!IPAddress.TryParse(Group, out var g) || g.AddressFamily != AddressFamily.InterNetwork)
                throw Bad(nameof(Group), Group, "must be an IPv4 multicast address such as 239.192.0.1, or empty for unicast");
            byte first = g.GetAddressBytes()[0];
            if (first < 224 || first > 239)
                throw Bad(nameof(Group), Group, "is not a multicast address (224.0.0.0–239.255.255.255); for unicast leave Group empty and set Interface");
        }
        if (!string.IsNullOrEmpty(Source))
        {
            if (string.IsNullOrEmpty(Group))
                throw Bad(nameof(Source), Source, "needs a multicast Group: a source-specific join is a multicast join; leave Source empty for unicast");
            if (!IPAddress.TryParse(Source, out var src) || src.AddressFamily != AddressFamily.InterNetwork)
                throw Bad(nameof(Source), Source, "must be the IPv4 address of the sender, e.g. 10.0.0.1, or empty for any-source");
        }
        if (InterfaceIndex < 0) throw Bad(nameof(InterfaceIndex), InterfaceIndex, "must be 0 (choose by Interface) or an interface index from 'ip link'");
        if (!IPAddress.TryParse(Interface, out var i) || i.AddressFamily != AddressFamily.InterNetwork)
            throw Bad(nameof(Interface), Interface, "must be the IPv4 address of a local interface, e.g. 127.0.0.1");
        if (Port is < 1 or > 65_535) throw Bad(nameof(Port), Port, "must be 1..65535, e.g. 26400");
        if (ReceiveBufferBytes is < 64 * 1024 or > 1 << 30)
            throw Bad(nameof(ReceiveBufferBytes), ReceiveBufferBytes, "must be 64 KiB..1 GiB, e.g. 4194304; raise net.core.rmem_max for more than the kernel allows");
        if (MaxDatagramBytes is < 64 or > 65_535) throw Bad(nameof(MaxDatagramBytes), MaxDatagramBytes, "must be 64..65535, e.g. 2048");
        return this;
    }

    private static ArgumentException Bad(string name, object value, string fix) => new($"{name}={value} {fix}.", name);
}
