namespace Wirespeed.Feeds.SoupBin;

/// <summary>Where a <see cref="SoupBinClient"/> stands. The last four are final: the client does not reconnect.</summary>
public enum SoupBinClientState : byte
{
    /// <summary>Not started.</summary>
    Idle,
    /// <summary>Opening the TCP connection.</summary>
    Connecting,
    /// <summary>Login Request sent, waiting for Login Accepted or Rejected.</summary>
    LoggingIn,
    /// <summary>Logged in: sequenced data flows.</summary>
    LoggedIn,
    /// <summary>The link was lost; waiting out the back-off before reconnecting.</summary>
    Backoff,
    /// <summary>The server sent End of Session (§2.2.5): the session is complete.</summary>
    EndOfSession,
    /// <summary>The server rejected the login (see <see cref="SoupBinClient.RejectReason"/>).</summary>
    Rejected,
    /// <summary>The client logged out, or was stopped.</summary>
    LoggedOut,
    /// <summary>Gave up after <see cref="SoupBinClientOptions.MaxReconnects"/> failed reconnects.</summary>
    GaveUp,
}
