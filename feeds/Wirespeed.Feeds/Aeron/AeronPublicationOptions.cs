using System;
using System.Net;

namespace Wirespeed.Feeds.Aeron;

/// <summary>A unicast Aeron publication (AERON.md §c "Sender"). Checked once by <see cref="Validated"/>.</summary>
public sealed record AeronPublicationOptions
{
    /// <summary>The subscriber's endpoint (aeron:udp?endpoint=…). Required.</summary>
    public IPEndPoint? Endpoint { get; init; }
    /// <summary>Stream id; 0 is reserved (§B.9). Default: 1001.</summary>
    public int StreamId { get; init; } = 1001;
    /// <summary>Term length: a power of two from 64 KiB to 1 GiB. Default: 1 MiB (3 terms are mapped here and by every receiver).</summary>
    public int TermLength { get; init; } = 1024 * 1024;
    /// <summary>MTU: a multiple of 32 up to 65504. Default: 1408 (Aeron's).</summary>
    public int Mtu { get; init; } = 1408;
    /// <summary>Session id; null: random (§B.9). Default: null.</summary>
    public int? SessionId { get; init; }
    /// <summary>Initial term id; null: random (§B.9). Default: null.</summary>
    public int? InitialTermId { get; init; }
    /// <summary>How long EOS heartbeats continue after close when no EOS status message comes (§B.13). Default: 5 s.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(5);

    public AeronPublicationOptions Validated()
    {
        if (Endpoint is null) throw new ArgumentException($"{nameof(Endpoint)} is required: the subscriber's address and port, e.g. 127.0.0.1:40123.");
        if (StreamId == 0) throw new ArgumentException($"{nameof(StreamId)}=0 is reserved by Aeron; use any other int, e.g. 1001.");
        if (!AeronPosition.IsValidTermLength(TermLength))
            throw new ArgumentException($"{nameof(TermLength)}={TermLength} must be a power of two from 65536 to 1073741824.");
        if (!AeronPosition.IsValidMtu(Mtu)) throw new ArgumentException($"{nameof(Mtu)}={Mtu} must be a multiple of 32 from 32 to 65504, e.g. 1408.");
        if (Linger < TimeSpan.Zero) throw new ArgumentException($"{nameof(Linger)} must not be negative.");
        return this;
    }
}
