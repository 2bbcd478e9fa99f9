using System;

namespace Wirespeed.Feeds.Mold.Arbitration;

/// <summary>
/// Packets that arrived ahead of the expected sequence, held in preallocated slots and kept sorted by first sequence.
/// Single-threaded: owned by the arbiter. No allocation after construction.
/// </summary>
/// <remarks>
/// While a gap waits (for the other side, then for the retransmission server) the live lines keep arriving: the window
/// must hold GapWaitNs + the server's round trip worth of packets, hundreds at full rate, so lookups may not scan it.
/// The held packets are a ring of slot numbers in sequence order: a packet ahead almost always lands after the last
/// one (append, O(1)); releasing looks only at the first (O(1)); a copy already held and the next held start are found
/// by binary search. Only a packet that arrives out of order inside the held range shifts part of the ring.
/// </remarks>
internal sealed class ReorderWindow
{
    private readonly byte[] _bytes;      // slots × maxPacket
    private readonly ulong[] _start;     // by slot: first sequence of the held packet
    private readonly ulong[] _end;       // by slot: sequence after its last message
    private readonly long[] _rxNs;
    private readonly int[] _length;
    private readonly MoldSource[] _source;
    private readonly int[] _order;       // ring of slot numbers sorted by _start; capacity = slots (power of two)
    private readonly int[] _free;        // stack of free slot numbers
    private readonly int _mask;
    private readonly int _maxPacket;
    private int _head;
    private int _freeCount;

    public ReorderWindow(int slots, int maxPacketBytes)
    {
        _bytes = new byte[slots * maxPacketBytes];
        _start = new ulong[slots];
        _end = new ulong[slots];
        _rxNs = new long[slots];
        _length = new int[slots];
        _source = new MoldSource[slots];
        _order = new int[slots];
        _free = new int[slots];
        for (int i = 0; i < slots; i++) _free[i] = slots - 1 - i;
        _freeCount = slots;
        _mask = slots - 1;
        _maxPacket = maxPacketBytes;
    }

    /// <summary>Packets held now.</summary>
    public int Count { get; private set; }

    /// <summary>Copies <paramref name="packet"/> covering [start, end) into a free slot; false when none is free or it is too large.</summary>
    public bool TryHold(ReadOnlySpan<byte> packet, ulong start, ulong end, MoldSource source, long rxNs)
    {
        if (packet.Length > _maxPacket || _freeCount == 0) return false;
        int slot = _free[--_freeCount];
        packet.CopyTo(_bytes.AsSpan(slot * _maxPacket, _maxPacket));
        _start[slot] = start;
        _end[slot] = end;
        _rxNs[slot] = rxNs;
        _length[slot] = packet.Length;
        _source[slot] = source;
        int at = UpperBound(start);
        for (int k = Count; k > at; k--) _order[(_head + k) & _mask] = _order[(_head + k - 1) & _mask]; // rare: usually at == Count
        _order[(_head + at) & _mask] = slot;
        Count++;
        return true;
    }

    /// <summary>The held packet (slot) whose range covers [start, end) entirely, or -1.</summary>
    public int FindCovering(ulong start, ulong end)
    {
        int k = UpperBound(start) - 1; // the last held packet starting at or before start
        if (k < 0) return -1;
        int slot = _order[(_head + k) & _mask];
        return end <= _end[slot] ? slot : -1;
    }

    /// <summary>The smallest held start above <paramref name="sequence"/>, or ulong.MaxValue.</summary>
    public ulong NextStartAfter(ulong sequence)
    {
        int k = UpperBound(sequence);
        return k == Count ? ulong.MaxValue : _start[_order[(_head + k) & _mask]];
    }

    /// <summary>The slot of the held packet with the smallest start; only when <see cref="Count"/> &gt; 0.</summary>
    public int First => _order[_head];

    /// <summary>Frees the first held packet.</summary>
    public void RemoveFirst()
    {
        _free[_freeCount++] = _order[_head];
        _head = (_head + 1) & _mask;
        Count--;
    }

    public ulong Start(int slot) => _start[slot];
    public ulong End(int slot) => _end[slot];
    public long RxNs(int slot) => _rxNs[slot];
    public MoldSource Source(int slot) => _source[slot];
    public ReadOnlySpan<byte> Packet(int slot) => _bytes.AsSpan(slot * _maxPacket, _length[slot]);

    // Position (0..Count) of the first held packet whose start is above sequence.
    private int UpperBound(ulong sequence)
    {
        int lo = 0, hi = Count;
        if (hi == 0 || _start[_order[(_head + hi - 1) & _mask]] <= sequence) return hi; // the common case: beyond the last
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_start[_order[(_head + mid) & _mask]] <= sequence) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
