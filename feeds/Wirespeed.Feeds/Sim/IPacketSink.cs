using Wirespeed.Core.Recording;
using System;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// Where emitted packets go. Implemented by structs so <see cref="PacedEmitter.Run{TSink}"/> is specialised per sink.
/// </summary>
public interface IPacketSink
{
    /// <summary>One MoldUDP64 packet; <paramref name="timestampNs"/> is its last message's timestamp (ns since midnight).</summary>
    void OnPacket(ReadOnlySpan<byte> packet, long timestampNs);
}

/// <summary>Sends each packet on a UDP socket.</summary>
public readonly struct UdpSink : IPacketSink
{
    private readonly UdpPacketSender _sender;
    public UdpSink(UdpPacketSender sender) => _sender = sender ?? throw new ArgumentNullException(nameof(sender));
    public void OnPacket(ReadOnlySpan<byte> packet, long timestampNs) => _sender.Send(packet);
}

/// <summary>Writes each packet as an Ethernet/IPv4/UDP frame to a pcap file.</summary>
public readonly struct PcapSink : IPacketSink
{
    private readonly PcapWriter _writer;
    public PcapSink(PcapWriter writer) => _writer = writer ?? throw new ArgumentNullException(nameof(writer));
    public void OnPacket(ReadOnlySpan<byte> packet, long timestampNs) => _writer.Write(packet, timestampNs);
}

/// <summary>Writes the messages of each packet in NASDAQ binary file format (u16 length + message).</summary>
public readonly struct ItchFileSink : IPacketSink
{
    private readonly ItchFileWriter _writer;
    public ItchFileSink(ItchFileWriter writer) => _writer = writer ?? throw new ArgumentNullException(nameof(writer));
    public void OnPacket(ReadOnlySpan<byte> packet, long timestampNs) => _writer.WritePacket(packet);
}

/// <summary>Discards packets, counting them (for measuring the generator alone).</summary>
public struct CountingSink : IPacketSink
{
    public long Packets;
    public long Bytes;
    public void OnPacket(ReadOnlySpan<byte> packet, long timestampNs)
    {
        Packets++;
        Bytes += packet.Length;
    }
}
