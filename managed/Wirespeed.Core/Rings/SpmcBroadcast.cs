using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Wirespeed.Core.Rings;

/// <summary>
/// Fixed-slot single-producer multi-consumer broadcast ring of unmanaged items over caller-owned memory (an arena):
/// every consumer sees every item, in order, through its own cursor.
/// </summary>
/// <remarks>
/// Producer thread: <see cref="TryClaim(out long, ulong)"/>, write through <see cref="this[long]"/>, then <see cref="Publish"/> once per
/// batch. Each consumer, on its own thread: <see cref="Consumer.Poll{THandler}"/> on the object from
/// <see cref="GetConsumer"/>. The number of consumers is fixed at construction and all start at sequence 0.
/// <para>Back-pressure: the producer never overwrites a slot the slowest consumer has not read; <see cref="TryClaim(out long, ulong)"/>
/// returns false instead and the caller applies its overflow policy. A consumer that stops polling therefore stops the
/// producer: every consumer must keep polling for as long as the producer runs.</para>
/// Consumers must treat items as read-only: the same slot is handed to every consumer.
/// <para>Routing: beside each slot the ring keeps a route, a bit mask of the consumers the item is for (bit i =
/// consumer i, for the first 64). The producer sets it when it claims (all consumers unless it names them);
/// <see cref="Consumer.Poll{THandler}"/> ignores it, <see cref="Consumer.PollRouted{THandler}"/> hands a consumer only
/// the items routed to it and steps over the rest reading 8 bytes each, so a consumer that subscribes to a part of the
/// stream does not touch the slots of the others.</para>
/// </remarks>
public sealed unsafe class SpmcBroadcast<T> where T : unmanaged
{
    private const int ProducerSlot = 1;           // cursor array: [pad][producer][consumers...][pad]

    private readonly T* _slots;                   // caller-owned (arena), at least RequiredBytes(capacity) long; outlives the ring
    private readonly ulong* _routes;              // after the slots, in the same memory: one consumer mask per slot
    private readonly long _mask;
    private readonly BroadcastCursor[] _cursors;  // never readonly-struct-copied: always accessed by ref
    private readonly Consumer[] _consumers;

    /// <summary>Route of an item for every consumer.</summary>
    public const ulong AllConsumers = ulong.MaxValue;

    /// <summary>Bytes of memory a ring of <paramref name="capacity"/> items needs: the slots, then (64-byte aligned) one route per slot.</summary>
    public static long RequiredBytes(int capacity) => RoutesOffset(capacity) + (long)capacity * sizeof(ulong);

    private static long RoutesOffset(int capacity) => ((long)capacity * sizeof(T) + 63) & ~63L;

    /// <param name="slots">Slot memory, 64-byte aligned, <see cref="RequiredBytes"/> long, owned by the caller.</param>
    /// <param name="capacity">Number of slots; a power of two, at least 2.</param>
    /// <param name="consumerCount">Number of consumers, at least 1.</param>
    public SpmcBroadcast(void* slots, int capacity, int consumerCount)
    {
        if (slots == null) ThrowHelper.ArgumentNull(nameof(slots));
        if (capacity < 2 || !BitOperations.IsPow2(capacity))
            ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be a power of two >= 2, e.g. {BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity))}");
        if (((nuint)slots & 63) != 0) ThrowHelper.Argument(nameof(slots), "slot memory must be 64-byte aligned");
        if (consumerCount < 1 || consumerCount > 1024)
            ThrowHelper.Argument(nameof(consumerCount), $"consumerCount={consumerCount} must be from 1 to 1024");
        _slots = (T*)slots;
        _routes = (ulong*)((byte*)slots + RoutesOffset(capacity));
        _mask = capacity - 1;
        _cursors = new BroadcastCursor[consumerCount + 3];
        _consumers = new Consumer[consumerCount];
        for (int i = 0; i < consumerCount; i++) _consumers[i] = new Consumer(this, i);
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => (int)(_mask + 1);

    /// <summary>Number of consumers.</summary>
    public int ConsumerCount => _consumers.Length;

    /// <summary>Total items published since creation.</summary>
    public long Published => Volatile.Read(ref Producer.Sequence);

    /// <summary>Items published and not yet consumed by the slowest consumer (approximate from a third thread).</summary>
    public long Count
    {
        get
        {
            long min = long.MaxValue;
            for (int i = 0; i < _consumers.Length; i++) min = Math.Min(min, Volatile.Read(ref CursorOf(i).Sequence));
            return Volatile.Read(ref Producer.Sequence) - min;   // consumer cursors first: the tail only grows
        }
    }

    /// <summary>Consumer <paramref name="index"/> (0 .. ConsumerCount-1); hand each to exactly one thread.</summary>
    public Consumer GetConsumer(int index)
    {
        if ((uint)index >= (uint)_consumers.Length)
            ThrowHelper.Argument(nameof(index), $"index={index} must be from 0 to {_consumers.Length - 1}");
        return _consumers[index];
    }

    /// <summary>The cursor array (layout tests).</summary>
    internal BroadcastCursor[] CursorArray => _cursors;

    /// <summary>The producer's cursor (layout tests).</summary>
    internal ref BroadcastCursor ProducerCursor => ref Producer;

    private ref BroadcastCursor Producer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cursors), ProducerSlot);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref BroadcastCursor CursorOf(int consumer)
        => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cursors), ProducerSlot + 1 + consumer);

    /// <summary>Producer: claims the next slot for every consumer. False when the slowest consumer has not yet read the slot it would reuse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(out long sequence) => TryClaim(out sequence, AllConsumers);

    /// <summary>
    /// Producer: claims the next slot for the consumers in <paramref name="route"/> (bit i = consumer i). Every consumer
    /// still passes the slot; <see cref="Consumer.PollRouted{THandler}"/> hands it only to those. False when full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(out long sequence, ulong route)
    {
        ulong* routes = _routes;                                   // fields first: the stores below may alias them for the JIT
        long mask = _mask;
        ref BroadcastCursor p = ref Producer;
        long claim = p.Claim;                                      // producer-owned: plain read
        if (claim - p.Cache > mask && !RefreshMinHeadSlow(claim))
        {
            sequence = -1;
            return false;
        }
        routes[claim & mask] = route;                              // made visible by the release store in Publish
        p.Claim = claim + 1;
        sequence = claim;
        return true;
    }

    /// <summary>The slot of a claimed (producer) or polled (consumer) sequence.</summary>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _slots[sequence & _mask];
    }

    /// <summary>Producer: makes every claimed slot visible to all consumers (one release store per batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish()
    {
        ref BroadcastCursor p = ref Producer;
        Volatile.Write(ref p.Sequence, p.Claim);                   // release; pairs with Volatile.Read(producer Sequence) in Consumer.Poll
    }

    /// <summary>Producer: claims, copies and publishes one item. False when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(in T item)
    {
        if (!TryClaim(out long seq)) return false;
        _slots[seq & _mask] = item;
        Publish();
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RefreshMinHeadSlow(long claim)
    {
        long min = long.MaxValue;
        for (int i = 0; i < _consumers.Length; i++)
        {
            long head = Volatile.Read(ref CursorOf(i).Sequence);  // acquire; pairs with Volatile.Write(Sequence) in Consumer.Poll
            if (head < min) min = head;
        }
        Producer.Cache = min;
        return claim - min <= _mask;
    }

    /// <summary>The route of a claimed or polled sequence (tests, diagnostics).</summary>
    public ulong RouteOf(long sequence) => _routes[sequence & _mask];

    /// <summary>One consumer's view of the broadcast; used by exactly one thread.</summary>
    public sealed class Consumer
    {
        private readonly SpmcBroadcast<T> _ring;
        private readonly int _index;
        private readonly ulong _bit;   // 0 past the 64th consumer: such a consumer cannot be routed to

        internal Consumer(SpmcBroadcast<T> ring, int index)
        {
            _ring = ring;
            _index = index;
            _bit = index < 64 ? 1UL << index : 0;
        }

        /// <summary>This consumer's number (0 .. ConsumerCount-1).</summary>
        public int Index => _index;

        /// <summary>True when items can be routed to this consumer alone (the first 64 consumers).</summary>
        public bool Routable => _bit != 0;

        /// <summary>Next sequence this consumer will read (items consumed so far).</summary>
        public long Position => Volatile.Read(ref _ring.CursorOf(_index).Sequence);

        /// <summary>Items published and not yet consumed by this consumer.</summary>
        public long Count
        {
            get
            {
                long head = Volatile.Read(ref _ring.CursorOf(_index).Sequence);
                return Volatile.Read(ref _ring.Producer.Sequence) - head;
            }
        }

        /// <summary>Consumer thread: hands up to <paramref name="limit"/> items to <paramref name="handler"/> (read-only),
        /// then releases them in one store. A <paramref name="limit"/> of zero or less consumes nothing.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IRingHandler<T>
        {
            int n = Available(limit, out long head);
            if (n == 0) return 0;
            T* slots = _ring._slots;
            long mask = _ring._mask;
            for (int i = 0; i < n; i++) handler.OnItem(ref slots[(head + i) & mask]);
            Release(head + n);
            return n;
        }

        /// <summary>
        /// Consumer thread: passes up to <paramref name="limit"/> items, hands <paramref name="handler"/> those whose
        /// route includes this consumer (with their sequence), and releases all of them in one store. Returns the
        /// number passed, routed or not. For the first 64 consumers (<see cref="Routable"/>); any other sees only
        /// items routed to <see cref="AllConsumers"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int PollRouted<THandler>(ref THandler handler, int limit) where THandler : struct, IRoutedRingHandler<T>
        {
            int n = Available(limit, out long head);
            if (n == 0) return 0;
            T* slots = _ring._slots;
            ulong* routes = _ring._routes;
            long mask = _ring._mask;
            ulong bit = _bit;
            if (bit != 0)
            {
                for (long seq = head; seq < head + n; seq++)
                    if ((routes[seq & mask] & bit) != 0) handler.OnItem(ref slots[seq & mask], seq);
            }
            else
            {
                for (long seq = head; seq < head + n; seq++)
                    if (routes[seq & mask] == AllConsumers) handler.OnItem(ref slots[seq & mask], seq);
            }
            Release(head + n);
            return n;
        }

        /// <summary>Items this consumer may read now, at most <paramref name="limit"/>, from <paramref name="head"/> on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Available(int limit, out long head)
        {
            SpmcBroadcast<T> ring = _ring;
            ref BroadcastCursor c = ref ring.CursorOf(_index);
            head = c.Sequence;                                     // consumer-owned: plain read
            if (limit <= 0) return 0;
            long available = c.Cache - head;
            if (available <= 0)
            {
                c.Cache = Volatile.Read(ref ring.Producer.Sequence); // acquire; pairs with Volatile.Write(Sequence) in Publish
                available = c.Cache - head;
                if (available <= 0) return 0;
            }
            return (int)Math.Min(available, limit);
        }

        /// <summary>
        /// Cold path, while no thread polls this consumer (its worker has ended): moves the cursor to everything
        /// published so far, handing those slots back unread, and returns how many were skipped. A replacement worker
        /// resumes here (<see cref="Patterns.PatternRuntime{TSink, TGate}.Restart"/>); the skipped slots are its gap.
        /// </summary>
        public long SkipToPublished()
        {
            ref BroadcastCursor c = ref _ring.CursorOf(_index);
            long head = c.Sequence;
            long published = Volatile.Read(ref _ring.Producer.Sequence);   // acquire; pairs with Volatile.Write(Sequence) in Publish
            c.Cache = published;
            Release(published);
            return published - head;
        }

        /// <summary>Hands every slot before <paramref name="next"/> back to the producer in one store.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Release(long next)
            => Volatile.Write(ref _ring.CursorOf(_index).Sequence, next);   // release; pairs with Volatile.Read in RefreshMinHeadSlow
    }
}
