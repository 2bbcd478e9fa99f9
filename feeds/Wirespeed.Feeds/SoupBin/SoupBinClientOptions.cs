using System;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>Configuration of a <see cref="SoupBinClient"/>; checked once by <see cref="Validated"/> at start-up.</summary>
public sealed record SoupBinClientOptions
{
    /// <summary>Server host name or address. Required.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>Server TCP port, 1..65535. Required.</summary>
    public int Port { get; init; }
    /// <summary>Username, at most 6 printable ASCII characters (SoupBinTCP 3.00 §2.3.1). Default: empty.</summary>
    public string Username { get; init; } = "";
    /// <summary>Password, at most 10 printable ASCII characters. Default: empty.</summary>
    public string Password { get; init; } = "";
    /// <summary>Session to log into, at most 10 characters; empty = the server's currently active session. Default: empty.</summary>
    public string Session { get; init; } = "";
    /// <summary>Sequence number of the first message wanted: 1 = from the start of the session, N = replay from N,
    /// 0 = start with the most recently generated message (§2.3.1). Default: 1.</summary>
    public ulong FirstSequence { get; init; } = 1;
    /// <summary>Silence after which the client sends a Client Heartbeat (§1.3: 1 s). Default: 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(SoupBinLayout.HeartbeatIntervalSeconds);
    /// <summary>Silence from the server after which the link is presumed dead and dropped (§1.3: "typically 15
    /// seconds"). Default: 15 s.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(SoupBinLayout.DefaultPeerTimeoutSeconds);
    /// <summary>How long the server may take to answer a Login Request. Default: 10 s.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>First delay before reconnecting; doubled on every failure up to <see cref="ReconnectDelayMax"/>. Default: 100 ms.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Longest delay between reconnects. Default: 5 s.</summary>
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Reconnect attempts after a lost link before giving up; -1 = never give up. Default: -1.</summary>
    public int MaxReconnects { get; init; } = -1;
    /// <summary>Largest packet payload accepted; a longer length prefix is hostile and drops the link. Default: 65,534
    /// (the 16-bit length's limit).</summary>
    public int MaxPayload { get; init; } = SoupBinLayout.MaxPayloadLength;

    /// <summary>This, or an exception naming the field and the fix.</summary>
    public SoupBinClientOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(Host)) Fail(nameof(Host), "is empty: name the SoupBinTCP server (host name or address)");
        if (Port is < 1 or > 65535) Fail(nameof(Port), $"={Port} must be 1..65535");
        if (!SoupBinFields.Fits(Username, SoupBinLayout.UsernameLength)) Fail(nameof(Username), $"'{Username}' must be at most {SoupBinLayout.UsernameLength} printable ASCII characters");
        if (!SoupBinFields.Fits(Password, SoupBinLayout.PasswordLength)) Fail(nameof(Password), $"must be at most {SoupBinLayout.PasswordLength} printable ASCII characters");
        if (!SoupBinFields.Fits(Session, SoupBinLayout.SessionLength)) Fail(nameof(Session), $"'{Session}' must be at most {SoupBinLayout.SessionLength} printable ASCII characters (empty = the current session)");
        if (HeartbeatInterval <= TimeSpan.Zero) Fail(nameof(HeartbeatInterval), "must be positive (the spec's is 1 s)");
        if (ServerTimeout <= HeartbeatInterval) Fail(nameof(ServerTimeout), $"={ServerTimeout.TotalSeconds} s must exceed HeartbeatInterval ({HeartbeatInterval.TotalSeconds} s): the server heartbeats once a second (15 s is usual)");
        if (LoginTimeout <= TimeSpan.Zero) Fail(nameof(LoginTimeout), "must be positive, e.g. 10 s");
        if (ReconnectDelay <= TimeSpan.Zero) Fail(nameof(ReconnectDelay), "must be positive, e.g. 100 ms");
        if (ReconnectDelayMax < ReconnectDelay) Fail(nameof(ReconnectDelayMax), $"must be at least ReconnectDelay ({ReconnectDelay.TotalMilliseconds} ms)");
        if (MaxReconnects < -1) Fail(nameof(MaxReconnects), $"={MaxReconnects} must be -1 (never give up) or a count");
        if ((uint)MaxPayload > SoupBinLayout.MaxPayloadLength) Fail(nameof(MaxPayload), $"={MaxPayload} must be 0..{SoupBinLayout.MaxPayloadLength}");
        return this;
    }

    private static void Fail(string field, string problem) =>
        throw new ArgumentException($"soupbintcp: {field} {problem}.", field);
}
