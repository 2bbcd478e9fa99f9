using System;
using System.Collections.Generic;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>A store that lives as long as the process: for tests and sessions that reset on every logon.</summary>
public class FixMemoryStore : IFixMessageStore
{
    private readonly Dictionary<int, byte[]> _sent = new();

    public FixMemoryStore(DateTime? createdUtc = null) => CreatedUtc = createdUtc ?? DateTime.UtcNow;

    public int NextSenderSeqNum { get; private set; } = 1;
    public int NextTargetSeqNum { get; private set; } = 1;
    public DateTime CreatedUtc { get; private set; }
    /// <summary>Messages held for resend.</summary>
    public int SentCount => _sent.Count;

    public virtual void StoreSent(int seqNum, ReadOnlySpan<byte> message) => Remember(seqNum, message.ToArray());

    public bool TryGetSent(int seqNum, out ReadOnlyMemory<byte> message)
    {
        bool found = _sent.TryGetValue(seqNum, out var bytes);
        message = bytes;
        return found;
    }

    public virtual void SetNextSenderSeqNum(int value) => NextSenderSeqNum = value;
    public virtual void SetNextTargetSeqNum(int value) => NextTargetSeqNum = value;

    public virtual void Reset(DateTime utcNow) => Clear(utcNow);

    protected void Remember(int seqNum, byte[] message)
    {
        _sent[seqNum] = message;
        NextSenderSeqNum = seqNum + 1;
    }

    protected void Clear(DateTime createdUtc)
    {
        _sent.Clear();
        NextSenderSeqNum = 1;
        NextTargetSeqNum = 1;
        CreatedUtc = createdUtc;
    }

    public virtual void Dispose() { }
}
