using System;
using System.Buffers.Binary;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// The exchange's side of one line sent twice: every packet goes to the retransmission server's store (what was sent
/// can be asked for again), then to side A and side B, each through its own loss draw, after a draw shared by both
/// (the same packets lost on both copies). Where anything may be lost (a loss draw, or a receiver that arbitrates), the end
/// of session is sent three times per side (each copy drawn alone): it is what tells a receiver that lost the last
/// packets that they existed (MoldUDP64 1.00, "End of Session").
/// </summary>
public readonly struct ABLineSink : IPacketSink
{
    private const int EndOfSessionCopies = 3;

    private readonly UdpPacketSender _a;
    private readonly UdpPacketSender? _b;
    private readonly MoldRetransmitServer? _server;
    private readonly LossDraw _lossA, _lossB, _lossBoth;
    private readonly int _endCopies;

    /// <summary>Side A's sender, side B's (or null), the server's store (or null), the three loss draws; repeatEnd:
    /// the end of session three times (default), or once, as a plain one-sided feed.</summary>
    public ABLineSink(UdpPacketSender a, UdpPacketSender? b, MoldRetransmitServer? server, LossDraw lossA, LossDraw lossB, LossDraw lossBoth, bool repeatEnd = true)
    {
        _endCopies = repeatEnd ? EndOfSessionCopies : 1;
        _a = a ?? throw new ArgumentNullException(nameof(a));
        _b = b;
        _server = server;
        _lossA = lossA ?? throw new ArgumentNullException(nameof(lossA));
        _lossB = lossB ?? throw new ArgumentNullException(nameof(lossB));
        _lossBoth = lossBoth ?? throw new ArgumentNullException(nameof(lossBoth));
    }

    public void OnPacket(ReadOnlySpan<byte> packet, long timestampNs)
    {
        _server?.Record(packet);
        bool end = packet.Length >= MoldPacketReader.HeaderSize
                   && BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(MoldPacketReader.CountOffset)) == MoldPacketReader.EndOfSessionCount;
        for (int copy = end ? _endCopies : 1; copy > 0; copy--)
        {
            if (_lossBoth.Drops(packet)) continue;
            if (!_lossA.Drops(packet)) _a.Send(packet);
            if (_b is not null && !_lossB.Drops(packet)) _b.Send(packet);
        }
    }
}
