using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Feeds.Replay;

/// <summary>
/// A recorded input as the packet source of a feed line: any <see cref="IPacketSource"/> that has its whole input at
/// hand (a pcap, an ITCH file, a recording journal) plugged into the production chain in place of the network line,
/// with the pace, the start point, the stop request and the end kept by a <see cref="ReplayControl"/>.
/// </summary>
/// <remarks>
/// The end: a recorded source never waits for packets, so a poll of <typeparamref name="TSource"/> that returns 0 is the
/// end of the input (<see cref="ReplayControl.Ended"/>). As fast as possible with no start filter, each poll goes
/// straight to the source (one extra branch). Otherwise packets go through a gate: skipped before the start, held one
/// at a time when not yet due (the source is then polled one packet at a time, so at most one is ever held).
/// <para>
/// This struct holds no mutable state of its own (the source is a struct over a class, the state is in the control):
/// the gate copies the handler, which may contain this very struct, and copies it back.
/// </para>
/// </remarks>
public readonly struct ReplayPackets<TSource> : IPacketSource where TSource : struct, IPacketSource
{
    private readonly TSource _source;
    private readonly ReplayControl _control;

    public ReplayPackets(TSource source, ReplayControl control)
    {
        _source = source;
        _control = control ?? throw new ArgumentNullException(nameof(control));
    }

    public ReplayControl Control => _control;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        var c = _control;
        if (c.StopRequested || c.Ended) return 0;
        if (c.Gated) return PollGated(ref handler, limit, c);
        int got = _source.Poll(ref handler, limit);
        if (got == 0) c.MarkEnded();
        return got;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int PollGated<THandler>(ref THandler handler, int limit, ReplayControl c) where THandler : struct, IPacketHandler
    {
        var gate = new Gate<THandler>(handler, c);
        int got = _source.Poll(ref gate, limit);
        handler = gate.Inner;
        if (got == 0) c.MarkEnded();
        return gate.Passed;
    }

    /// <summary>Passes to the inner handler what the control admits.</summary>
    private struct Gate<THandler>(THandler inner, ReplayControl control) : IPacketHandler where THandler : struct, IPacketHandler
    {
        public THandler Inner = inner;
        public int Passed;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            if (!control.Admit(payload, in info)) return;
            Inner.OnPacket(payload, in info);
            Passed++;
        }
    }
}

/// <summary>A pcap file as a struct packet source (one direct call to the sealed class).</summary>
public readonly struct PcapPackets(PcapSource source) : IPacketSource
{
    public PcapSource Source => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler => source.Poll(ref handler, limit);
}

/// <summary>A NASDAQ binary ITCH file as a struct packet source (one direct call to the sealed class).</summary>
public readonly struct ItchFilePackets(ItchFileSource source) : IPacketSource
{
    public ItchFileSource Source => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler => source.Poll(ref handler, limit);
}
