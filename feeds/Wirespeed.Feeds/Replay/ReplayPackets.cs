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
/// end of the input (<see cref="ReplayControl.Ended"/>), unless the source paused at a recorded batch boundary
/// (<see cref="IRecordedPackets.PausedAtBoundary"/>): that 0 goes to the batch source, which ends its batch there. As fast as possible with no start filter, each poll goes
/// straight to the source (one extra branch). Otherwise packets go through a gate: skipped before the start, held one
/// at a time when not yet due (the source is then polled one packet at a time, so at most one is ever held).
/// </remarks>
public readonly struct ReplayPackets<TSource> : IPacketSource where TSource : struct, IRecordedPackets
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
        if (got == 0 && !_source.PausedAtBoundary) c.MarkEnded();
        return got;
    }

    /// <summary>
    /// Through the gate, one packet at a time: the source hands it to a holder (a copy into the control's buffer), the
    /// control admits it (start filter; pace: waits until due), then <paramref name="handler"/> gets it. The holder is
    /// not generic over the handler on purpose: wrapping the handler in a generic struct passed back to the source's
    /// generic Poll makes NativeAOT's generic-cycle detection read this module, which fails in ILC 10.0.12
    /// (BadImageFormatException "Read out of bounds" in CycleInfoHashtable). The copy costs only gated replays.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int PollGated<THandler>(ref THandler handler, int limit, ReplayControl c) where THandler : struct, IPacketHandler
    {
        int delivered = 0;
        var holder = new ReplayHolder(c);
        while (delivered < limit && !c.StopRequested)
        {
            if (_source.Poll(ref holder, 1) == 0)
            {
                if (!_source.PausedAtBoundary) c.MarkEnded();
                break;                                  // the end, or a recorded batch boundary: this poll ends here
            }
            PacketInfo info = c.HeldInfo;
            ReadOnlySpan<byte> payload = c.Held;
            if (!c.Admit(payload, in info)) continue;   // before the start (or stopped while waiting: the loop ends)
            handler.OnPacket(payload, in info);
            delivered++;
            if (!c.Gated) break;                        // started, not paced: the next poll goes straight through
        }
        return delivered;
    }
}

/// <summary>Copies the one packet it is handed into the control's buffer (gated replay).</summary>
internal readonly struct ReplayHolder : IPacketHandler
{
    private readonly ReplayControl _control;

    public ReplayHolder(ReplayControl control) => _control = control;

    public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => _control.Hold(payload, in info);
}

/// <summary>
/// A recorded input as a packet source: a poll that returns 0 is its end, unless the source says it paused at a batch
/// boundary that it recorded (a recording journal does; a pcap or an ITCH file has none).
/// </summary>
public interface IRecordedPackets : IPacketSource
{
    /// <summary>True when the last poll returned 0 at a recorded batch boundary: the input goes on.</summary>
    bool PausedAtBoundary { get; }
}

/// <summary>A pcap file as a struct packet source (one direct call to the sealed class).</summary>
public readonly struct PcapPackets : IRecordedPackets
{
    private readonly PcapSource _source;

    public PcapPackets(PcapSource source) => _source = source;

    public PcapSource Source => _source;

    /// <summary>A pcap records no batch boundaries: a poll that returns 0 is its end.</summary>
    public bool PausedAtBoundary => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler => _source.Poll(ref handler, limit);
}

/// <summary>A NASDAQ binary ITCH file as a struct packet source (one direct call to the sealed class).</summary>
public readonly struct ItchFilePackets : IRecordedPackets
{
    private readonly ItchFileSource _source;

    public ItchFilePackets(ItchFileSource source) => _source = source;

    public ItchFileSource Source => _source;

    /// <summary>An ITCH file records no batch boundaries: a poll that returns 0 is its end.</summary>
    public bool PausedAtBoundary => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler => _source.Poll(ref handler, limit);
}
