using System;
using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Mold.Rerequest;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

// A line's recovery settings (issue 11): a second copy of the same MoldUDP64 session (side B), the exchange's
// re-request server, and the reorder window of the arbiter that merges them. A line without "b" and "retransmit" is
// received exactly as before (no arbiter). Kept in a file of its own beside LineConfig so that other line settings
// (transports) change without touching these.

public sealed partial class LineConfig
{
    /// <summary>Side B: the second copy of this line's MoldUDP64 session (another group or port). null: the line has one side. Default: null.</summary>
    public LineSideConfig? B { get; set; }
    /// <summary>The line's MoldUDP64 re-request (retransmission) server. null: gaps are not requested. Default: null.</summary>
    public RetransmitConfig? Retransmit { get; set; }
    /// <summary>
    /// Packets the arbiter holds out of order while the gap before them waits for the other side or the server (a power
    /// of two, 1..65536); only used with "b" or "retransmit". It must cover gapWaitNs + the server's round trip at the
    /// line's packet rate. Memory: reorderSlots × maxDatagramBytes. Default: 1024.
    /// </summary>
    public int ReorderSlots { get; set; } = s_arbiter.ReorderSlots;

    private static readonly MoldArbiterOptions s_arbiter = new();

    /// <summary>True when the line runs the A/B arbiter before decode (a side B or a re-request server is configured).</summary>
    [JsonIgnore]
    public bool Arbitrated => B is not null || Retransmit is not null;

    /// <summary>Side B's socket: its group, port and interface, every other setting (buffer, datagram size, line id) the line's.</summary>
    public UdpOptions ToUdpOptionsB() => ToUdpOptions() with { Group = B!.Group, Port = B.Port, Interface = B.Interface };

    /// <summary>The arbiter's options: the reorder window, the datagram size, and the gap wait (the server's, or its default without one).</summary>
    public MoldArbiterOptions ToArbiterOptions() => new()
    {
        ReorderSlots = ReorderSlots,
        MaxPacketBytes = MaxDatagramBytes,
        GapWaitNs = Retransmit?.GapWaitNs ?? s_arbiter.GapWaitNs,
    };
}

/// <summary>Side B of a line: where the second copy of the same MoldUDP64 session arrives.</summary>
public sealed class LineSideConfig
{
    /// <summary>IPv4 multicast group, or empty for unicast on <see cref="Interface"/>. Default: 239.192.0.2.</summary>
    public string Group { get; set; } = "239.192.0.2";
    /// <summary>UDP port. Default: 26477.</summary>
    public int Port { get; set; } = 26477;
    /// <summary>Interface address for the join. Default: 127.0.0.1.</summary>
    public string Interface { get; set; } = "127.0.0.1";
    /// <summary>Must be the line's transport (one worker receives both sides through one transport). Default: auto.</summary>
    [JsonConverter(typeof(TransportKindJsonConverter))]
    public Feeds.Udp.TransportKind Transport { get; set; } = Feeds.Udp.TransportKind.Auto;
}

/// <summary>The line's MoldUDP64 re-request server (MoldUDP64 1.00, "Request Packets") and how it is asked.</summary>
public sealed class RetransmitConfig
{
    private static readonly MoldRerequesterOptions s_library = new();

    /// <summary>The server, "address:port" (IPv4 unicast). Port 0 only in demo and simulate: the simulator's server picks a free one. Default: 127.0.0.1:0.</summary>
    public string Server { get; set; } = "127.0.0.1:0";
    /// <summary>How long a missing range waits for either side before it is requested, ns. Default: 1000000 (1 ms).</summary>
    public long GapWaitNs { get; set; } = new MoldArbiterOptions().GapWaitNs;
    /// <summary>Most messages asked in one request packet (1..65534); larger gaps are split. Default: 1000.</summary>
    public int MaxMessagesPerRequest { get; set; } = s_library.MaxMessagesPerRequest;
    /// <summary>Request packets per second at most, retries included. Default: 2000.</summary>
    public int MaxRequestsPerSecond { get; set; } = s_library.MaxRequestsPerSecond;
    /// <summary>How long a request waits to be filled before it is sent again, ns (each retry waits twice as long). Default: 20000000 (20 ms).</summary>
    public long TimeoutNs { get; set; } = s_library.TimeoutNs;
    /// <summary>Retries after the first send; then the range waits for the next gap wait and is requested afresh. Default: 5.</summary>
    public int MaxRetries { get; set; } = s_library.MaxRetries;

    /// <summary>The server's endpoint; null when <see cref="Server"/> is not "IPv4:port".</summary>
    public IPEndPoint? EndPoint()
    {
        int colon = Server.LastIndexOf(':');
        if (colon <= 0) return null;
        if (!IPAddress.TryParse(Server.AsSpan(0, colon), out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return null;
        if (!int.TryParse(Server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535) return null;
        return new IPEndPoint(address, port);
    }

    /// <summary>The client's options; requests leave from <paramref name="localAddress"/> (the line's interface).</summary>
    public MoldRerequesterOptions ToOptions(IPAddress localAddress) => new()
    {
        Server = EndPoint(),
        LocalAddress = localAddress,
        MaxMessagesPerRequest = MaxMessagesPerRequest,
        MaxRequestsPerSecond = MaxRequestsPerSecond,
        TimeoutNs = TimeoutNs,
        MaxRetries = MaxRetries,
    };
}
