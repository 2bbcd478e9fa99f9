using System;
using System.Buffers.Binary;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Rings;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>Receives the messages a <see cref="SoupBinRingSink"/> holds; a struct, so that Poll is specialised.</summary>
public interface ISoupBinMessageHandler
{
    /// <summary>One message: <paramref name="kind"/> is 'S' (sequenced, with its number) or 'U' (unsequenced, number 0).
    /// The bytes are valid only during the call.</summary>
    void OnMessage(byte kind, ulong sequence, ReadOnlySpan<byte> message);
}

/*
 * The hand-off between the client's I/O thread and a hot worker: a bounded SPSC ring of fixed slots over arena memory.
 *
 *   slot: | sequence u64 LE | length u16 LE | kind u8 | pad (5) | message (up to MaxMessage) | pad to 64 |
 *
 * The I/O thread (producer) copies each message into a slot; the worker (consumer) polls. A full ring is not a drop:
 * the sink refuses the message, the client closes the link and logs in again from that message's number (TCP replay),
 * so a slow consumer costs a reconnect, never a message.
 */

/// <summary>
/// An <see cref="ISoupBinDataHandler"/> that copies every message into an SPSC ring for a hot worker to poll. Producer:
/// the client's I/O thread; consumer: one other thread calling <see cref="Poll{THandler}"/>.
/// </summary>
public sealed class SoupBinRingSink : ISoupBinDataHandler
{
    private const int HeaderBytes = 16;
    private readonly SpscSlotRing _ring;
    private readonly int _maxMessage;
    private long _endOfSession = -1;   // next sequence at End of Session, or -1

    /// <summary>Carves the ring from an arena (start-up).</summary>
    /// <param name="arena">Where the slots live; outlives the sink.</param>
    /// <param name="capacity">Slots, a power of two.</param>
    /// <param name="maxMessage">Longest message a slot holds. Give the client a MaxPayload no larger: its framer then
    /// refuses longer packets as hostile, so no message ever reaches the sink too long for a slot.</param>
    public unsafe SoupBinRingSink(Arena arena, int capacity, int maxMessage)
    {
        ArgumentNullException.ThrowIfNull(arena);
        if ((uint)maxMessage > SoupBinLayout.MaxPayloadLength)
            throw new ArgumentOutOfRangeException(nameof(maxMessage), $"maxMessage={maxMessage} must be 0..{SoupBinLayout.MaxPayloadLength}.");
        int slotBytes = (HeaderBytes + maxMessage + 63) & ~63;
        byte* slots = arena.Allocate(SpscSlotRing.RequiredBytes(capacity, slotBytes), 64);
        _ring = new SpscSlotRing(slots, capacity, slotBytes);
        _maxMessage = maxMessage;
    }

    /// <summary>Longest message a slot holds.</summary>
    public int MaxMessage => _maxMessage;
    /// <summary>Messages waiting (approximate from a third thread).</summary>
    public long Count => _ring.Count;
    /// <summary>Times the ring was full when a message came (each one cost the client a reconnect).</summary>
    public long Refused => Volatile.Read(ref _refused);
    private long _refused;
    /// <summary>The next sequence number when the server ended the session, or -1 while it runs.</summary>
    public long EndOfSessionSequence => Volatile.Read(ref _endOfSession);

    /// <inheritdoc/>
    public bool OnSequenced(ulong sequence, ReadOnlySpan<byte> message) => TryCopy(SoupBinLayout.SequencedData, sequence, message);

    /// <inheritdoc/>
    public bool OnUnsequenced(ReadOnlySpan<byte> message) => TryCopy(SoupBinLayout.UnsequencedData, 0, message);

    /// <inheritdoc/>
    public void OnEndOfSession(ulong nextSequence) => Volatile.Write(ref _endOfSession, (long)nextSequence);   // pairs with the read in EndOfSessionSequence

    private bool TryCopy(byte kind, ulong sequence, ReadOnlySpan<byte> message)
    {
        if (message.Length > _maxMessage || !_ring.TryClaim(out long at))
        {
            Volatile.Write(ref _refused, _refused + 1);
            return false;
        }
        var slot = _ring.Slot(at);
        BinaryPrimitives.WriteUInt64LittleEndian(slot, sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(slot.Slice(8), (ushort)message.Length);
        slot[10] = kind;
        message.CopyTo(slot.Slice(HeaderBytes));
        _ring.Publish();
        return true;
    }

    /// <summary>Consumer: hands up to <paramref name="limit"/> messages to <paramref name="handler"/>; returns how many.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, ISoupBinMessageHandler
    {
        var adapter = new SlotAdapter<THandler> { Inner = handler };
        int n = _ring.Poll(ref adapter, limit);
        handler = adapter.Inner;
        return n;
    }

    private struct SlotAdapter<THandler> : ISlotHandler where THandler : struct, ISoupBinMessageHandler
    {
        public THandler Inner;

        public void OnSlot(Span<byte> slot)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(slot.Slice(8));
            Inner.OnMessage(slot[10], BinaryPrimitives.ReadUInt64LittleEndian(slot), slot.Slice(HeaderBytes, length));
        }
    }
}
