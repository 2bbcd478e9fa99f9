using System;

namespace Wirespeed.Core.Events;

/// <summary>Event flags; the low two bits of the packed byte hold the lane, so values start at 0x04.</summary>
[Flags]
public enum EventFlags : byte
{
    None = 0,
    /// <summary>Arrived after its sequence had been declared lost or was recovered late.</summary>
    Late = 0x04,
    /// <summary>Delivered by recovery (retransmission) rather than the live line.</summary>
    Recovered = 0x08,
    /// <summary>The clock-health watcher distrusts its timestamps.</summary>
    ClockSuspect = 0x10,
    /// <summary>The instrument's book is stale (a gap was detected and not yet recovered).</summary>
    BookStale = 0x20,
    /// <summary>Last event decoded from its packet (lets batch stages close a batch).</summary>
    EndOfPacket = 0x40,
    /// <summary>Event changed the best bid or offer (set by the book stage).</summary>
    TopChanged = 0x80,
}
