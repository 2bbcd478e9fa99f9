using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Signals;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// Publishes fixed-size records (Wirespeed's 64-byte <see cref="MarketEvent"/> or <see cref="Signal"/>, copied as they
/// are: both are blittable, little-endian on x64) on an <see cref="AeronPublication"/>, packed
/// <see cref="RecordsPerMessage"/> to an Aeron message so that one datagram carries many (DESIGN.md "Beyond one box":
/// the fan-out of normalised events and signals to other boxes). A message is offered when its batch is full, on
/// <see cref="Flush"/>, or on <see cref="DoWork"/> (so a record waits at most one duty cycle); a batch that cannot go (back-pressure, no receiver) is kept and retried, and records that find
/// it still full are dropped and counted in <see cref="DroppedRecords"/>, never silently. One thread; no allocation
/// after construction.
/// </summary>
public sealed class AeronRecordPublisher : IDisposable
{
    private readonly AeronPublication _publication;
    private readonly byte[] _batch;
    private readonly int _recordSize;
    private int _count;

    /// <summary>Records of <paramref name="recordSize"/> bytes, <paramref name="recordsPerMessage"/> to a message: 0, as many as
    /// fit one frame (mtu − 32 bytes); 1, every record at once (signals).</summary>
    public AeronRecordPublisher(AeronPublication publication, int recordSize = MarketEvent.Size, int recordsPerMessage = 0)
    {
        _publication = publication ?? throw new ArgumentNullException(nameof(publication));
        if (recordSize <= 0 || recordSize > publication.MaxPayloadLength)
            throw new ArgumentOutOfRangeException(nameof(recordSize), $"record size {recordSize} must be from 1 to the publication's max payload {publication.MaxPayloadLength}.");
        int fit = publication.MaxPayloadLength / recordSize;
        if (recordsPerMessage < 0 || recordsPerMessage > publication.MaxMessageLength / recordSize)
            throw new ArgumentOutOfRangeException(nameof(recordsPerMessage), $"records per message {recordsPerMessage} must be from 0 (one frame's worth, {fit}) to {publication.MaxMessageLength / recordSize}.");
        _recordSize = recordSize;
        RecordsPerMessage = recordsPerMessage == 0 ? fit : recordsPerMessage;
        _batch = GC.AllocateArray<byte>(RecordsPerMessage * recordSize, pinned: true);
    }

    public AeronPublication Publication => _publication;
    public int RecordsPerMessage { get; }
    public long Records { get; private set; }
    public long Messages { get; private set; }
    /// <summary>Records dropped because the batch could not be offered (back-pressure or no receiver) and was full.</summary>
    public long DroppedRecords { get; private set; }
    /// <summary>Offers refused with back-pressure (the batch is kept and retried).</summary>
    public long BackPressured { get; private set; }
    /// <summary>Offers refused because no receiver is connected (the batch is kept and retried).</summary>
    public long NotConnected { get; private set; }
    /// <summary>Records waiting in the batch.</summary>
    public int Pending => _count;

    /// <summary>Adds one record; false when it was dropped (the batch was full and could not be offered).</summary>
    public bool Publish(ReadOnlySpan<byte> record)
    {
        if (_count == RecordsPerMessage && !Flush())
        {
            DroppedRecords++;
            return false;
        }
        record.Slice(0, _recordSize).CopyTo(_batch.AsSpan(_count * _recordSize));
        _count++;
        if (_count == RecordsPerMessage) Flush();
        return true;
    }

    /// <summary>One market event (64 bytes as laid out in memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Publish(in MarketEvent evt) => Publish(MemoryMarshal.AsBytes(new ReadOnlySpan<MarketEvent>(in evt)));

    /// <summary>One signal (64 bytes as laid out in memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Publish(in Signal signal) => Publish(MemoryMarshal.AsBytes(new ReadOnlySpan<Signal>(in signal)));

    /// <summary>Offers the batch now; true when nothing is left waiting.</summary>
    public bool Flush()
    {
        if (_count == 0) return true;
        long result = _publication.Offer(_batch.AsSpan(0, _count * _recordSize));
        if (result > 0)
        {
            Records += _count;
            Messages++;
            _count = 0;
            return true;
        }
        if (result == AeronOfferResult.NotConnected) NotConnected++;
        else BackPressured++;
        return false;
    }

    /// <summary>The publication's duties (status messages, NAKs, heartbeats), then the waiting batch, full or not.</summary>
    public int DoWork()
    {
        int work = _publication.DoWork();
        if (_count > 0 && Flush()) work++;
        return work;
    }

    public void Dispose() => _publication.Dispose();
}
