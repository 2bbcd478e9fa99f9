using System;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>Which side opens the TCP connection and sends the first Logon.</summary>
public enum FixSessionRole : byte
{
    /// <summary>Connects and sends Logon (35=A) first; reconnects with back-off.</summary>
    Initiator = 0,
    /// <summary>Listens and answers a Logon.</summary>
    Acceptor = 1,
}

/// <summary>A FIX session's configuration is wrong: the message names the field and the fix.</summary>
public sealed class FixSessionConfigException(string message) : Exception(message);

/// <summary>
/// One FIX session: identities, timers, recovery limits and where it connects or listens. Plain options, validated
/// once with <see cref="Validated"/>, whose errors name the field and the fix.
/// </summary>
public sealed record FixSessionOptions
{
    /// <summary>BeginString (8): "FIX.4.4" or "FIXT.1.1". Default: FIX.4.4.</summary>
    public string BeginString { get; init; } = "FIX.4.4";
    /// <summary>DefaultApplVerID (1137) an initiator sends in its Logon over FIXT.1.1 (FIXT.1.1 requires it there):
    /// "9" FIX 5.0 SP2, "8" SP1, "7" FIX 5.0. Not sent over FIX 4.x. Default: 9.</summary>
    public string DefaultApplVerId { get; init; } = "9";
    /// <summary>Our SenderCompID (49). Required.</summary>
    public string SenderCompId { get; init; } = "";
    /// <summary>The counterparty's CompID, our TargetCompID (56). Required.</summary>
    public string TargetCompId { get; init; } = "";
    public FixSessionRole Role { get; init; } = FixSessionRole.Initiator;
    /// <summary>HeartBtInt (108) in seconds that an initiator proposes; an acceptor adopts the initiator's. Default: 30.</summary>
    public int HeartBtIntSeconds { get; init; } = 30;
    /// <summary>Silence, in heartbeat intervals, after which a TestRequest (35=1) goes out; the same silence again
    /// after it ends the session. Default: 1.2 (the "reasonable transmission time" of FIX Session Layer 4.4).</summary>
    public double TestRequestFactor { get; init; } = 1.2;
    /// <summary>Username (553) an initiator sends, and an acceptor requires when set. Default: none.</summary>
    public string? Username { get; init; }
    /// <summary>Password (554) as <see cref="Username"/>. Default: none.</summary>
    public string? Password { get; init; }
    /// <summary>Most messages one ResendRequest (35=2) asks for; 0 asks for everything (EndSeqNo 0). Default: 0.</summary>
    public int ResendChunkSize { get; init; }
    /// <summary>Send ResetSeqNumFlag (141=Y) on Logon, both sides starting at 1. Default: false.</summary>
    public bool ResetOnLogon { get; init; }
    /// <summary>How long an initiator waits for the Logon answer, ms. Default: 10000.</summary>
    public int LogonTimeoutMs { get; init; } = 10_000;
    /// <summary>How long a Logout waits for the counterparty's Logout before disconnecting, ms. Default: 2000.</summary>
    public int LogoutTimeoutMs { get; init; } = 2_000;
    /// <summary>Initiator: host to connect to. Default: 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>Initiator: port to connect to; acceptor: port to listen on (1..65535).</summary>
    public int Port { get; init; }
    /// <summary>First reconnect delay, ms; doubled after each failure up to <see cref="ReconnectMaxMs"/>. Default: 500.</summary>
    public int ReconnectMinMs { get; init; } = 500;
    /// <summary>Longest reconnect delay, ms. Default: 30000.</summary>
    public int ReconnectMaxMs { get; init; } = 30_000;
    /// <summary>Directory of the persisted store (one file per session); null keeps it in memory. Default: null.</summary>
    public string? StoreDirectory { get; init; }
    /// <summary>When the store forces its writes to disk. Default: EveryWrite.</summary>
    public FixStoreSync StoreSync { get; init; } = FixStoreSync.EveryWrite;
    /// <summary>When the session may be up. Default: always, no daily reset.</summary>
    public FixSessionSchedule Schedule { get; init; } = FixSessionSchedule.Always;

    /// <summary>"SENDER-&gt;TARGET", the session's name in counters and logs.</summary>
    public string Name => $"{SenderCompId}->{TargetCompId}";

    public FixSessionOptions Validated()
    {
        if (BeginString is not ("FIX.4.2" or "FIX.4.3" or "FIX.4.4" or "FIXT.1.1"))
            Fail(nameof(BeginString), $"'{BeginString}' is not a session version we speak; use FIX.4.4 or FIXT.1.1");
        if (DefaultApplVerId is not ("7" or "8" or "9")) Fail(nameof(DefaultApplVerId), $"'{DefaultApplVerId}' must be 7 (FIX 5.0), 8 (5.0 SP1) or 9 (5.0 SP2)");
        CompId(nameof(SenderCompId), SenderCompId);
        CompId(nameof(TargetCompId), TargetCompId);
        if (HeartBtIntSeconds is < 1 or > 3600) Fail(nameof(HeartBtIntSeconds), $"{HeartBtIntSeconds} must be within 1..3600 seconds, e.g. 30");
        if (TestRequestFactor is < 1.0 or > 10.0 || double.IsNaN(TestRequestFactor)) Fail(nameof(TestRequestFactor), $"{TestRequestFactor} must be within 1.0..10.0, e.g. 1.2");
        if ((Username is null) != (Password is null)) Fail(Username is null ? nameof(Username) : nameof(Password), "set both Username and Password, or neither");
        if (Username is not null) { Text(nameof(Username), Username); Text(nameof(Password), Password!); }
        if (ResendChunkSize is < 0 or > 1_000_000) Fail(nameof(ResendChunkSize), $"{ResendChunkSize} must be within 0..1000000 (0: ask for everything at once)");
        if (LogonTimeoutMs is < 100 or > 600_000) Fail(nameof(LogonTimeoutMs), $"{LogonTimeoutMs} must be within 100..600000 ms");
        if (LogoutTimeoutMs is < 100 or > 600_000) Fail(nameof(LogoutTimeoutMs), $"{LogoutTimeoutMs} must be within 100..600000 ms");
        if (Port is < 1 or > 65535) Fail(nameof(Port), $"{Port} must be within 1..65535");
        if (Role == FixSessionRole.Initiator && string.IsNullOrWhiteSpace(Host)) Fail(nameof(Host), "an initiator needs the host to connect to, e.g. 127.0.0.1");
        if (ReconnectMinMs is < 10 or > 600_000) Fail(nameof(ReconnectMinMs), $"{ReconnectMinMs} must be within 10..600000 ms");
        if (ReconnectMaxMs < ReconnectMinMs || ReconnectMaxMs > 3_600_000) Fail(nameof(ReconnectMaxMs), $"{ReconnectMaxMs} must be within {nameof(ReconnectMinMs)} ({ReconnectMinMs})..3600000 ms");
        if (StoreDirectory is not null && StoreDirectory.Trim().Length == 0) Fail(nameof(StoreDirectory), "empty: name a directory, or leave it unset for an in-memory store");
        Schedule.Validated();
        return this;
    }

    private static void CompId(string field, string value)
    {
        if (string.IsNullOrEmpty(value)) Fail(field, "is required, e.g. \"WIRESPEED\"");
        Text(field, value);
    }

    private static void Text(string field, string value)
    {
        if (value.Length == 0 || value.Length > 64) Fail(field, "must be 1..64 characters");
        foreach (char c in value)
            if (c < 0x21 || c > 0x7E) Fail(field, $"'{value}' holds a character that is not printable ASCII (FIX String fields may not hold SOH or spaces here)");
    }

    internal static void Fail(string field, string fix) => throw new FixSessionConfigException($"FIX session: {field} {fix}.");
}
