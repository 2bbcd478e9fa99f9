using System;
using Wirespeed.Feeds.SoupBin;

namespace Wirespeed.Feeds.Sim;

/// <summary>Configuration of the simulator's SoupBinTCP server (<see cref="SoupBinSimServer"/>).</summary>
public sealed record SoupBinServerOptions
{
    /// <summary>TCP port to listen on (loopback unless <see cref="Address"/> says otherwise); 0 = any free port.</summary>
    public int Port { get; init; }
    /// <summary>Address to bind. Default: 127.0.0.1.</summary>
    public string Address { get; init; } = "127.0.0.1";
    /// <summary>Accepted username (case-insensitive, at most 6). Default: "sim".</summary>
    public string Username { get; init; } = "sim";
    /// <summary>Accepted password (case-insensitive, at most 10). Default: "sim".</summary>
    public string Password { get; init; } = "sim";
    /// <summary>The session's name (at most 10); a login naming another session is rejected 'S'. Default: "SIM0000001".</summary>
    public string Session { get; init; } = "SIM0000001";
    /// <summary>Silence after which the server sends a Server Heartbeat (§1.3: 1 s). Default: 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(SoupBinLayout.HeartbeatIntervalSeconds);
    /// <summary>Silence from a client (no login, no heartbeat) after which the server closes its socket (§1.3:
    /// "typically 15 seconds"). Default: 15 s.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(SoupBinLayout.DefaultPeerTimeoutSeconds);
    /// <summary>Messages sent per write before the session yields its I/O thread. Default: 1024.</summary>
    public int BatchMessages { get; init; } = 1024;

    /// <summary>This, or an exception naming the field and the fix.</summary>
    public SoupBinServerOptions Validated()
    {
        if (Port is < 0 or > 65535) Fail(nameof(Port), $"={Port} must be 0..65535");
        if (!SoupBinFields.Fits(Username, SoupBinLayout.UsernameLength)) Fail(nameof(Username), $"must be at most {SoupBinLayout.UsernameLength} printable ASCII characters");
        if (!SoupBinFields.Fits(Password, SoupBinLayout.PasswordLength)) Fail(nameof(Password), $"must be at most {SoupBinLayout.PasswordLength} printable ASCII characters");
        if (Session.Trim().Length == 0 || !SoupBinFields.Fits(Session, SoupBinLayout.SessionLength)) Fail(nameof(Session), $"must be 1..{SoupBinLayout.SessionLength} printable ASCII characters");
        if (HeartbeatInterval <= TimeSpan.Zero) Fail(nameof(HeartbeatInterval), "must be positive (the spec's is 1 s)");
        if (ClientTimeout <= HeartbeatInterval) Fail(nameof(ClientTimeout), "must exceed HeartbeatInterval (15 s is usual)");
        if (BatchMessages < 1) Fail(nameof(BatchMessages), "must be at least 1");
        return this;
    }

    private static void Fail(string field, string problem) => throw new ArgumentException($"soupbintcp server: {field} {problem}.", field);
}
