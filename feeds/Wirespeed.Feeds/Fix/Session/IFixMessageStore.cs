using System;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>When a persisted store forces its writes to the disk.</summary>
public enum FixStoreSync : byte
{
    /// <summary>fsync after every record: a message counted as sent survives a power cut. Default.</summary>
    EveryWrite = 0,
    /// <summary>Leave it to the page cache: survives a process crash, not a power cut; for tests and benchmarks.</summary>
    OsBuffered = 1,
}

/// <summary>
/// A session's sequence numbers and the messages it sent (for ResendRequest). Called under the session's lock only.
/// </summary>
public interface IFixMessageStore : IDisposable
{
    /// <summary>MsgSeqNum (34) of the next message we send.</summary>
    int NextSenderSeqNum { get; }
    /// <summary>MsgSeqNum we expect next from the counterparty.</summary>
    int NextTargetSeqNum { get; }
    /// <summary>When this FIX session (sequence numbers from 1) began, UTC.</summary>
    DateTime CreatedUtc { get; }
    /// <summary>Records a sent message; <see cref="NextSenderSeqNum"/> becomes <paramref name="seqNum"/> + 1.</summary>
    void StoreSent(int seqNum, ReadOnlySpan<byte> message);
    /// <summary>A message we sent with <paramref name="seqNum"/>, or false when it was not stored.</summary>
    bool TryGetSent(int seqNum, out ReadOnlyMemory<byte> message);
    void SetNextSenderSeqNum(int value);
    void SetNextTargetSeqNum(int value);
    /// <summary>A new FIX session: both numbers back to 1, sent messages dropped.</summary>
    void Reset(DateTime utcNow);
}
