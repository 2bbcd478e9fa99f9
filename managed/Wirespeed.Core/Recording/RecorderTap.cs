using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Rings;

namespace Wirespeed.Core.Recording;

/// <summary>
/// The ingress side of the recorder: copies each received datagram, with its receive timestamp, line id and the line's
/// receive sequence, into a pre-allocated ring slot (the record's header as it will be stored, less its CRC), for the
/// recorder thread to write. Receiving worker only; no allocation, no lock, no file I/O.
/// </summary>
/// <remarks>
/// A datagram is claimed before it is decoded (<see cref="Begin"/>) and published after (<see cref="End"/>), so that
/// the decoder's verdict goes into the record: a rejected datagram is recorded with its reason. When the ring is full
/// the overflow policy applies: drop-and-count (the line's sequence still advances, so the hole shows in the record
/// too) or block (the worker waits for the recorder). Once the recorder has failed, the tap records nothing and never
/// waits: the feed goes on.
/// </remarks>
public sealed class RecorderTap
{
    private readonly SpscSlotRing _ring;
    private readonly int _maxPayload;
    private readonly bool _block;
    private readonly ulong[] _sequence = new ulong[256];   // per line id: datagrams received (recorded or not)
    private volatile bool _enabled = true;
    private RecordFlags _next;                              // BatchStart after a dry poll, until a datagram is recorded
    private long _recorded, _dropped, _truncated, _blockedWaits;

    public RecorderTap(SpscSlotRing ring, RecordingOverflow overflow)
    {
        _ring = ring ?? throw new ArgumentNullException(nameof(ring));
        _maxPayload = ring.SlotBytes - JournalLayout.RecordHeaderSize;
        _block = overflow == RecordingOverflow.Block;
    }

    /// <summary>Datagrams handed to the recorder.</summary>
    public long Recorded => Volatile.Read(ref _recorded);
    /// <summary>Datagrams not recorded because the ring was full (drop-and-count) or the recorder had failed.</summary>
    public long Dropped => Volatile.Read(ref _dropped);
    /// <summary>Datagrams longer than a slot (recorded cut short, flagged).</summary>
    public long Truncated => Volatile.Read(ref _truncated);
    /// <summary>Times the worker found the ring full and waited (block policy).</summary>
    public long BlockedWaits => Volatile.Read(ref _blockedWaits);
    /// <summary>False once the recorder failed.</summary>
    public bool Enabled => _enabled;

    /// <summary>
    /// Receiving worker: its poll came up dry, so the batch being filled ends here and the next datagram begins a new
    /// one; that datagram's record is flagged <see cref="RecordFlags.BatchStart"/> (<see cref="RecordingPackets{TPackets}"/> calls this).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkPollDry() => _next = RecordFlags.BatchStart;

    /// <summary>Recorder thread: stops recording (a failed disk); the tap drops from now on and never waits.</summary>
    public void Disable() => _enabled = false;

    /// <summary>Receiving worker, before decode: claims and fills a slot. Returns its sequence, or -1 when not recorded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Begin(ReadOnlySpan<byte> payload, in PacketInfo info)
    {
        ulong sequence = ++_sequence[info.LineId];
        if (!_enabled || !_ring.TryClaim(out long slot))
        {
            slot = FullSlow();
            if (slot < 0) return -1;
        }
        Span<byte> s = _ring.Slot(slot);
        int length = payload.Length;
        RecordFlags flags = _next;
        _next = RecordFlags.None;
        if (length > _maxPayload)
        {
            length = _maxPayload;
            flags |= RecordFlags.Truncated;
            _truncated++;
        }
        JournalLayout.WriteHeader(s, length, info.LineId, flags, 0, (byte)info.Source, info.ReceiveTimestampNs, sequence);
        payload.Slice(0, length).CopyTo(s.Slice(JournalLayout.RecordHeaderSize));
        return slot;
    }

    /// <summary>Receiving worker, after decode: adds the decoder's reject reason (0 = accepted) and publishes the slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void End(long slot, byte rejectReason)
    {
        if (slot < 0) return;
        if (rejectReason != 0)
        {
            Span<byte> s = _ring.Slot(slot);
            s[JournalLayout.FlagsOffset] |= (byte)RecordFlags.Rejected;
            s[JournalLayout.ReasonOffset] = rejectReason;
        }
        _recorded++;
        _ring.Publish();
    }

    /// <summary>The ring is full (or recording is off): drop and count, or wait for a slot under the block policy.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long FullSlow()
    {
        if (_block && _enabled)
        {
            _blockedWaits++;
            var spin = new SpinWait();
            while (_enabled)
            {
                if (_ring.TryClaim(out long slot)) return slot;
                spin.SpinOnce(sleep1Threshold: -1);   // yields to the recorder thread; never sleeps a whole ms
            }
        }
        _dropped++;
        return -1;
    }
}
