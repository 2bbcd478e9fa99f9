using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// An Aeron channel URI, parsed and validated once at start-up (AERON.md §d, §B.10):
/// <c>aeron:udp?endpoint=host:port|interface=addr[:port]|control=host:port|term-length=N|mtu=N|reliable=true|false|ttl=N
/// |fc=max|min[,t:5s][,g:/N]|nak-delay=100us|linger=5s|session-id=N|init-term-id=N|alias=text</c>.
/// An endpoint in 224.0.0.0/4 makes the channel multicast: data on the group G, control on G+1 at the same port (§B.10),
/// so G's last byte must be odd. Every error names the key and the fix; nothing here runs on the hot path.
/// </summary>
public sealed record AeronChannel
{
    /// <summary>The keys understood, for error messages.</summary>
    public const string Keys = "endpoint, interface, control, term-length, mtu, reliable, ttl, fc, nak-delay, linger, session-id, init-term-id, alias";

    /// <summary>The data address: the subscriber's bind address (unicast) or the multicast group and port.</summary>
    public required IPEndPoint Endpoint { get; init; }
    /// <summary>interface=: the local address (and optionally port) a unicast publication binds, and the interface of a
    /// multicast join and of IP_MULTICAST_IF. Null: 0.0.0.0, the kernel chooses.</summary>
    public IPEndPoint? Interface { get; init; }
    /// <summary>Multicast only: where control frames go (SM, NAK). Default: the group + 1, same port (§B.10); set it only
    /// when both ends are Wirespeed, since a real Aeron driver always derives G+1.</summary>
    public IPEndPoint? Control { get; init; }
    public int? TermLength { get; init; }
    public int? Mtu { get; init; }
    /// <summary>reliable=false: the subscriber fills gaps instead of NAKing them (§B.12 "Unreliable mode"). Default: true.</summary>
    public bool Reliable { get; init; } = true;
    public int? Ttl { get; init; }
    public AeronFlowControl FlowControl { get; init; } = AeronFlowControl.Default;
    public TimeSpan? NakDelay { get; init; }
    public TimeSpan? Linger { get; init; }
    public int? SessionId { get; init; }
    public int? InitialTermId { get; init; }
    /// <summary>alias=: a free-text name, as in Aeron, for logs only.</summary>
    public string Alias { get; init; } = "";

    /// <summary>The endpoint is an IPv4 multicast group.</summary>
    public bool IsMulticast => IsMulticastAddress(Endpoint.Address);

    /// <summary>The control address of a multicast channel: <see cref="Control"/> or G+1:port (§B.10).</summary>
    public IPEndPoint ControlEndpoint => Control ?? AeronMulticast.ControlOf(Endpoint);

    /// <summary>The multicast interface address (interface= or 0.0.0.0, the kernel's choice).</summary>
    public IPAddress InterfaceAddress => Interface?.Address ?? IPAddress.Any;

    public static bool IsMulticastAddress(IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0;

    /// <summary>Parses <paramref name="uri"/>; throws <see cref="ArgumentException"/> naming the key and the fix.</summary>
    public static AeronChannel Parse(string uri)
        => TryParse(uri, out AeronChannel? channel, out string? error) ? channel! : throw new ArgumentException(error);

    /// <summary>Parses <paramref name="uri"/>, or says what is wrong with it (the key and the fix).</summary>
    public static bool TryParse(string? uri, out AeronChannel? channel, out string? error)
    {
        channel = null;
        error = null;
        const string Prefix = "aeron:udp?";
        if (string.IsNullOrWhiteSpace(uri)) return Fail("the channel is empty: write aeron:udp?endpoint=host:port, e.g. aeron:udp?endpoint=239.192.0.3:40456", out error);
        if (uri.StartsWith("aeron:ipc", StringComparison.Ordinal))
            return Fail($"'{uri}': aeron:ipc needs a media driver's shared memory; Wirespeed speaks aeron:udp only, e.g. aeron:udp?endpoint=127.0.0.1:40456", out error);
        if (!uri.StartsWith(Prefix, StringComparison.Ordinal))
            return Fail($"'{uri}' is not an Aeron UDP channel: it must begin with {Prefix}, e.g. aeron:udp?endpoint=127.0.0.1:40456", out error);

        IPEndPoint? endpoint = null, iface = null, control = null;
        int? termLength = null, mtu = null, ttl = null, sessionId = null, initialTermId = null;
        bool reliable = true;
        AeronFlowControl fc = AeronFlowControl.Default;
        TimeSpan? nakDelay = null, linger = null;
        string alias = "";
        string[] pairs = uri.Substring(Prefix.Length).Split('|');
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) return Fail($"'{pair}' in {uri} is not key=value; separate pairs with '|', e.g. endpoint=127.0.0.1:40456|mtu=1408", out error);
            string key = pair.Substring(0, eq);
            string value = pair.Substring(eq + 1);
            if (value.Length == 0) return Fail($"{key}= has no value in {uri}", out error);
            switch (key)
            {
                case "endpoint":
                    if (!TryEndPoint(value, requirePort: true, out endpoint)) return Fail($"endpoint={value}: write an IPv4 address and a port, e.g. endpoint=239.192.0.3:40456 or endpoint=127.0.0.1:40456", out error);
                    break;
                case "interface":
                    if (!TryEndPoint(value, requirePort: false, out iface)) return Fail($"interface={value}: write a local IPv4 address, optionally with a port, e.g. interface=127.0.0.1", out error);
                    break;
                case "control":
                    if (!TryEndPoint(value, requirePort: true, out control)) return Fail($"control={value}: write an IPv4 address and a port, e.g. control=239.192.0.4:40456", out error);
                    break;
                case "term-length":
                    if (!TrySize(value, out int t) || !AeronPosition.IsValidTermLength(t))
                        return Fail($"term-length={value} must be a power of two from 64k to 1g, e.g. term-length=1m", out error);
                    termLength = t;
                    break;
                case "mtu":
                    if (!TrySize(value, out int m) || !AeronPosition.IsValidMtu(m)) return Fail($"mtu={value} must be a multiple of 32 from 32 to 65504, e.g. mtu=1408", out error);
                    mtu = m;
                    break;
                case "reliable":
                    if (value == "true") reliable = true;
                    else if (value == "false") reliable = false;
                    else return Fail($"reliable={value} must be true or false", out error);
                    break;
                case "ttl":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int ttlValue) || ttlValue > 255)
                        return Fail($"ttl={value} must be from 0 to 255, e.g. ttl=1", out error);
                    ttl = ttlValue;
                    break;
                case "fc":
                    if (!AeronFlowControl.TryParse(value, out fc, out string? fcError)) return Fail($"fc={value}: {fcError}", out error);
                    break;
                case "nak-delay":
                    if (!TryDuration(value, out TimeSpan nd)) return Fail($"nak-delay={value} must be a duration with its unit, e.g. nak-delay=100us", out error);
                    nakDelay = nd;
                    break;
                case "linger":
                    if (!TryDuration(value, out TimeSpan lg)) return Fail($"linger={value} must be a duration with its unit, e.g. linger=5s", out error);
                    linger = lg;
                    break;
                case "session-id":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int sid)) return Fail($"session-id={value} must be an int32, e.g. session-id=-1234", out error);
                    sessionId = sid;
                    break;
                case "init-term-id":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int itid)) return Fail($"init-term-id={value} must be an int32, e.g. init-term-id=0", out error);
                    initialTermId = itid;
                    break;
                case "alias":
                    alias = value;
                    break;
                default:
                    return Fail($"'{key}' is not a key Wirespeed's Aeron understands (in {uri}); use one of: {Keys}", out error);
            }
        }
        if (endpoint is null) return Fail($"{uri} has no endpoint=: write the address and port, e.g. aeron:udp?endpoint=239.192.0.3:40456", out error);
        bool multicast = IsMulticastAddress(endpoint.Address);
        if (multicast && (endpoint.Address.GetAddressBytes()[3] & 1) == 0)
            return Fail($"endpoint={endpoint}: a multicast data group must end in an odd byte, since control goes to the group + 1 (Aeron's rule), e.g. endpoint=239.192.0.3:{endpoint.Port}", out error);
        if (!multicast && control is not null)
            return Fail($"control={control} applies to multicast channels only (Wirespeed has no multi-destination-cast); remove it for unicast endpoint={endpoint}", out error);
        if (!multicast && ttl is not null) return Fail($"ttl={ttl} applies to multicast channels only; remove it for unicast endpoint={endpoint}", out error);
        if (iface is not null && IsMulticastAddress(iface.Address)) return Fail($"interface={iface.Address} must be a local address, not a multicast group", out error);
        if (mtu is { } mm && termLength is { } tt && mm > tt / 2) return Fail($"mtu={mm} must not exceed term-length / 2 ({tt / 2})", out error);
        channel = new AeronChannel
        {
            Endpoint = endpoint, Interface = iface, Control = control, TermLength = termLength, Mtu = mtu, Reliable = reliable, Ttl = ttl,
            FlowControl = fc, NakDelay = nakDelay, Linger = linger, SessionId = sessionId, InitialTermId = initialTermId, Alias = alias,
        };
        return true;
    }

    /// <summary>Back to the URI form (keys in a fixed order; defaults left out).</summary>
    public override string ToString()
    {
        var s = new System.Text.StringBuilder("aeron:udp?endpoint=").Append(Endpoint);
        if (Interface is not null) s.Append("|interface=").Append(Interface.Port == 0 ? Interface.Address.ToString() : Interface.ToString());
        if (Control is not null) s.Append("|control=").Append(Control);
        if (TermLength is { } t) s.Append("|term-length=").Append(t);
        if (Mtu is { } m) s.Append("|mtu=").Append(m);
        if (!Reliable) s.Append("|reliable=false");
        if (Ttl is { } ttl) s.Append("|ttl=").Append(ttl);
        if (FlowControl != AeronFlowControl.Default) s.Append("|fc=").Append(FlowControl);
        if (NakDelay is { } nd) s.Append("|nak-delay=").Append((long)(nd.Ticks / 10)).Append("us");
        if (Linger is { } lg) s.Append("|linger=").Append((long)lg.TotalMilliseconds).Append("ms");
        if (SessionId is { } sid) s.Append("|session-id=").Append(sid);
        if (InitialTermId is { } itid) s.Append("|init-term-id=").Append(itid);
        if (Alias.Length > 0) s.Append("|alias=").Append(Alias);
        return s.ToString();
    }

    private static bool Fail(string message, out string? error)
    {
        error = "Aeron channel: " + message;
        return false;
    }

    private static bool TryEndPoint(string value, bool requirePort, out IPEndPoint? endpoint)
    {
        endpoint = null;
        int colon = value.LastIndexOf(':');
        string host = colon < 0 ? value : value.Substring(0, colon);
        int port = 0;
        if (colon < 0 && requirePort) return false;
        if (colon >= 0 && (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535 || (requirePort && port == 0)))
            return false;
        if (host == "localhost") host = "127.0.0.1";
        if (!IPAddress.TryParse(host, out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork || host.Split('.').Length != 4) return false;
        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>A byte count with an optional k/m/g suffix (Aeron's size form: 64k, 16m, 1g).</summary>
    internal static bool TrySize(string value, out int size)
    {
        size = 0;
        long multiplier = 1;
        string digits = value;
        char last = char.ToLowerInvariant(value[^1]);
        if (last is 'k' or 'm' or 'g')
        {
            multiplier = last == 'k' ? 1024 : last == 'm' ? 1024 * 1024 : 1024 * 1024 * 1024;
            digits = value.Substring(0, value.Length - 1);
        }
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
        long bytes = n * multiplier;
        if (bytes > int.MaxValue) return false;
        size = (int)bytes;
        return true;
    }

    /// <summary>A duration with its unit, as Aeron writes them: ns, us, ms, s (e.g. 100us, 5s).</summary>
    internal static bool TryDuration(string value, out TimeSpan duration)
    {
        duration = default;
        (string unit, long ticksPer, bool nanos)[] units = [("ns", 1, true), ("us", 10, false), ("ms", 10_000, false), ("s", 10_000_000, false)];
        foreach (var (unit, ticksPer, nanos) in units)
        {
            if (!value.EndsWith(unit, StringComparison.Ordinal)) continue;
            // At most an hour: no timer here needs more, and the bound keeps the tick count far from overflow.
            if (!long.TryParse(value.AsSpan(0, value.Length - unit.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
            long ticks = nanos ? n / 100 : (n > 36_000_000_000L / ticksPer ? long.MaxValue : n * ticksPer);
            if (ticks > 36_000_000_000L) return false;
            duration = TimeSpan.FromTicks(ticks);
            return true;
        }
        return false;
    }
}
