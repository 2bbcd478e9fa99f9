using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;
using Wirespeed.Core.Recording;
using Xunit;

namespace Wirespeed.Tests.Core.Recording;

/// <summary>
/// The pcap writer's file form: created at a path, retargeted to a unicast destination (a locally administered MAC,
/// the new address and port in the frame), flushed; IPv6 endpoints are refused (its frames are IPv4).
/// </summary>
public sealed class PcapWriterTargetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-pcap-writer").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private const int GlobalHeader = 24, RecordHeader = 16, Ethernet = 14, Ipv4 = 20;

    [Fact]
    public void A_frame_retargeted_to_a_unicast_address_carries_it_with_a_locally_administered_mac()
    {
        string path = Path.Combine(_dir, "out.pcap");
        var source = new IPEndPoint(IPAddress.Parse("192.168.1.10"), 40000);
        using (var writer = PcapWriter.Create(path, source, new IPEndPoint(IPAddress.Parse("233.54.12.1"), 26477)))
        {
            writer.Retarget(IPAddress.Parse("10.0.0.5"), 9000);
            writer.Write([1, 2, 3, 4], 1_000);
            writer.Flush();
            Assert.Equal(1, writer.Frames);
            byte[] flushed = File.ReadAllBytes(path);   // readable while the writer is open: it was flushed
            Assert.Equal(GlobalHeader + RecordHeader + Ethernet + Ipv4 + 8 + 4, flushed.Length);
        }
        byte[] file = File.ReadAllBytes(path);
        var frame = file.AsSpan(GlobalHeader + RecordHeader);
        Assert.True(frame[..6].SequenceEqual(new byte[] { 0x02, 0, 0, 0, 0, 0x02 }));
        Assert.True(frame.Slice(Ethernet + 16, 4).SequenceEqual(new byte[] { 10, 0, 0, 5 }));
        Assert.Equal(9000, BinaryPrimitives.ReadUInt16BigEndian(frame[(Ethernet + Ipv4 + 2)..]));
        Assert.True(frame[^4..].SequenceEqual(new byte[] { 1, 2, 3, 4 }));
    }

    [Fact]
    public void Ipv6_endpoints_are_refused_at_construction_and_on_retarget()
    {
        var v4 = new IPEndPoint(IPAddress.Loopback, 1);
        var v6 = new IPEndPoint(IPAddress.IPv6Loopback, 1);
        Assert.Contains("IPv4", Assert.Throws<ArgumentException>(() => new PcapWriter(new MemoryStream(), v6, v4)).Message);
        Assert.Contains("IPv4", Assert.Throws<ArgumentException>(() => new PcapWriter(new MemoryStream(), v4, v6)).Message);
        using var writer = new PcapWriter(new MemoryStream(), v4, v4);
        Assert.Contains("IPv4", Assert.Throws<ArgumentException>(() => writer.Retarget(IPAddress.IPv6Loopback, 1)).Message);
        Assert.Throws<ArgumentNullException>(() => writer.Retarget(null!, 1));
    }
}
