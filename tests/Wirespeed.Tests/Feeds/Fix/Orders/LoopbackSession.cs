using System;
using System.Collections.Generic;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Tests.Feeds.Fix.Orders;

/// <summary>
/// The state of an in-memory stand-in for a FIX session: logged on or not, the sequence numbers it hands out, every
/// message it was asked to send (whole, with the header a real session writes), and an optional counterparty that
/// receives them at once.
/// </summary>
internal sealed class LoopbackLink
{
    public bool LoggedOn = true;
    public long Sequence;
    public readonly List<byte[]> Sent = new();
    public readonly FixApplicationEncoder Encoder = new("FIX.4.4", "WIRESPEED", "MATCHER");
    public FixOrderMatcher? Counterparty;
    public readonly byte[] Buffer = new byte[4096];
    public const long SendingTimeNs = 1_796_686_200_123_000_000;   // 2026-12-07 23:30:00.123 UTC

    public string LastText => FixTestMessages.Text(Sent[^1]);
}

/// <summary>An <see cref="IFixApplicationSession"/> over a <see cref="LoopbackLink"/>: the seam as a real session fills it.</summary>
internal readonly struct LoopbackSession : IFixApplicationSession
{
    public readonly LoopbackLink Link;

    public LoopbackSession(LoopbackLink link) => Link = link;

    public bool IsLoggedOn => Link.LoggedOn;

    public long Send<TMessage>(ref TMessage message) where TMessage : struct, IFixApplicationMessage
    {
        if (!Link.LoggedOn) return 0;
        long seq = Link.Sequence + 1;
        if (Link.Encoder.Encode(Link.Buffer, ref message, seq, LoopbackLink.SendingTimeNs, out int length) != FixStatus.Ok) return 0;
        Link.Sequence = seq;
        var bytes = Link.Buffer.AsSpan(0, length).ToArray();
        Link.Sent.Add(bytes);
        Link.Counterparty?.Receive(bytes);
        return seq;
    }
}
