using System;
using System.Diagnostics;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>Where a session's state stands.</summary>
public enum FixSessionState : byte
{
    /// <summary>No connection.</summary>
    Disconnected = 0,
    /// <summary>Acceptor: connected, waiting for the counterparty's Logon.</summary>
    AwaitingLogon = 1,
    /// <summary>Initiator: Logon sent, waiting for the answer.</summary>
    LogonSent = 2,
    /// <summary>Logon exchanged; messages flow.</summary>
    LoggedOn = 3,
    /// <summary>We sent Logout and wait for the counterparty's.</summary>
    LogoutSent = 4,
}

/// <summary>The connection a session writes to. Implemented by the TCP transport and by tests.</summary>
public interface IFixSessionLink
{
    /// <summary>Hands one whole message to the connection; must not block (the transport queues it).</summary>
    void Send(ReadOnlySpan<byte> message);
    /// <summary>Closes the connection; the transport later calls <see cref="FixSession.Disconnected"/>.</summary>
    void Disconnect();
}

/// <summary>What the application sees of a session. Called under the session's lock, on the transport's thread:
/// keep the work short and never block.</summary>
public interface IFixApplication
{
    void OnLogon(FixSession session);
    void OnLogout(FixSession session, string reason);
    /// <summary>An application message, in sequence, exactly once (resent duplicates are not delivered again), and
    /// each session-level Reject (3) after the session counted it (its RefSeqNum may name an application message).
    /// The view is valid during the call only.</summary>
    void OnMessage(FixSession session, FixView message);
}

/// <summary>Writes the body fields of an outgoing message (after the session wrote the header).</summary>
public interface IFixBody
{
    void Write(ref FixWriter writer);
}

/// <summary>The session's clocks: monotonic for timers, UTC for SendingTime and schedules.</summary>
public interface IFixClock
{
    long MonotonicNs { get; }
    DateTime UtcNow { get; }
}

/// <summary>The system clocks.</summary>
public sealed class FixSystemClock : IFixClock
{
    public static FixSystemClock Instance { get; } = new();
    public long MonotonicNs => (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
    public DateTime UtcNow => DateTime.UtcNow;
}

/// <summary>An application that does nothing: for sessions whose counters are all that matter.</summary>
public sealed class FixNullApplication : IFixApplication
{
    public static FixNullApplication Instance { get; } = new();
    public void OnLogon(FixSession session) { }
    public void OnLogout(FixSession session, string reason) { }
    public void OnMessage(FixSession session, FixView message) { }
}
