using System.Threading;

namespace Wirespeed.Feeds.Fix.Session.Tcp;

/// <summary>Transport outcomes that belong to no one session.</summary>
public sealed class FixEngineCounters
{
    /// <summary>Accepted connections closed because their first message named no session here (or was garbage).</summary>
    public long UnknownConnections;
    /// <summary>Accepted connections closed because their session was already connected.</summary>
    public long DuplicateConnections;
    public long ConnectAttempts, ConnectFailures, ChannelErrors;

    internal void Add(ref long counter) => Interlocked.Increment(ref counter);
}
