using System;

namespace Wirespeed.Feeds.SoupBin;

/*
 * NASDAQ GLIMPSE 5.0 delivers the TotalView-ITCH 5.0 book as Sequenced Data over SoupBinTCP: after the login, the
 * current state as ITCH messages (stock directory and trading state, then one Add Order per displayed order), closed by
 * an End of Snapshot message:
 *
 *   offset 0  Message Type     1   'G'
 *   offset 1  Sequence Number 20   ASCII, right-justified: the TotalView-ITCH sequence number the snapshot corresponds to
 *
 * Wirespeed reads that number as the first ITCH sequence NOT contained in the snapshot, i.e. the sequence from which the
 * live feed applies to the rebuilt books (messages before it are already in the snapshot and are dropped as duplicates).
 */

/// <summary>The GLIMPSE 5.0 End of Snapshot message ('G').</summary>
public static class GlimpseLayout
{
    /// <summary>Message type of End of Snapshot.</summary>
    public const byte EndOfSnapshot = (byte)'G';
    /// <summary>Bytes of the End of Snapshot message: type (1) and sequence number (20).</summary>
    public const int EndOfSnapshotLength = 1 + SoupBinLayout.SequenceLength;

    /// <summary>Writes End of Snapshot carrying <paramref name="nextSequence"/>; returns its length.</summary>
    public static int WriteEndOfSnapshot(Span<byte> dst, ulong nextSequence)
    {
        if (dst.Length < EndOfSnapshotLength) throw new ArgumentException($"The destination holds {dst.Length} bytes; End of Snapshot needs {EndOfSnapshotLength}.", nameof(dst));
        dst[0] = EndOfSnapshot;
        SoupBinFields.WriteNumeric(dst.Slice(1, SoupBinLayout.SequenceLength), nextSequence);
        return EndOfSnapshotLength;
    }

    /// <summary>Reads End of Snapshot: false unless the message is a 'G' of the right length with a numeric sequence.</summary>
    public static bool TryReadEndOfSnapshot(ReadOnlySpan<byte> message, out ulong nextSequence)
    {
        nextSequence = 0;
        return message.Length == EndOfSnapshotLength && message[0] == EndOfSnapshot
               && SoupBinFields.TryReadNumeric(message.Slice(1), out nextSequence);
    }
}
