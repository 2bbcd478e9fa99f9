using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

public sealed class StreamedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wirespeed-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private struct Digest : IPacketHandler
    {
        public long Count;
        public ulong Hash;
        public long Bytes;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            Count++;
            Bytes += payload.Length;
            foreach (byte b in payload) Hash = (Hash ^ b) * 1099511628211UL;
            Hash ^= (ulong)info.ReceiveTimestampNs;
        }
    }

    /// <summary>About 3 MB of length-prefixed messages of varied lengths (up to 1 KiB) that straddle every refill.</summary>
    private static byte[] ItchFile(out int messages)
    {
        var rng = new Random(5);
        using var ms = new MemoryStream();
        messages = 0;
        Span<byte> prefix = stackalloc byte[2];
        while (ms.Length < 3_000_000)
        {
            var m = new byte[rng.Next(12, 1024)];
            rng.NextBytes(m);
            m[0] = (byte)'D';
            BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)m.Length);
            ms.Write(prefix);
            ms.Write(m);
            messages++;
        }
        return ms.ToArray();
    }

    [Fact]
    public void Streamed_itch_file_reads_exactly_what_the_in_memory_reader_reads_across_many_refills()
    {
        byte[] bytes = ItchFile(out int messages);
        string path = Path.Combine(_dir, "day.itch50");
        File.WriteAllBytes(path, bytes);
        using var streamed = ItchFileSource.Open(path, bufferSize: ItchFileSource.MinBufferSize);
        var inMemory = new ItchFileSource(bytes);
        var a = new Digest();
        var b = new Digest();
        while (streamed.Poll(ref a, 1000) > 0) { }
        while (inMemory.Poll(ref b, 1000) > 0) { }
        Assert.Equal(messages, a.Count);
        Assert.Equal((b.Count, b.Bytes, b.Hash), (a.Count, a.Bytes, a.Hash));
        Assert.Equal((long)bytes.Length, streamed.Offset);
        Assert.True(streamed.Offset > ItchFileSource.MinBufferSize * 40L);
        Assert.True(streamed.IsAtEnd);
        Assert.Equal(0, streamed.Counters.UnframedBytes);
    }

    [Fact]
    public void Streamed_itch_file_with_a_torn_tail_counts_it_like_the_in_memory_reader()
    {
        byte[] bytes = ItchFile(out int messages);
        byte[] torn = bytes.AsSpan(0, bytes.Length - 5).ToArray();
        string path = Path.Combine(_dir, "torn.itch50");
        File.WriteAllBytes(path, torn);
        using var streamed = ItchFileSource.Open(path, bufferSize: ItchFileSource.MinBufferSize);
        while (streamed.TryRead(out _) == DecodeStatus.Ok) { }
        Assert.Equal(messages - 1, streamed.Counters.Messages);
        Assert.Equal(1, streamed.Counters.TruncatedTail);
        Assert.Equal(torn.Length - streamed.Offset, streamed.Counters.UnframedBytes);
    }

    [Fact]
    public void Streamed_pcap_delivers_the_same_payloads_as_the_in_memory_reader_and_skips_oversized_records()
    {
        string path = Path.Combine(_dir, "day.pcap");
        var rng = new Random(8);
        int written = 0;
        using (var f = File.Create(path))
        using (var w = new PcapWriter(f, new IPEndPoint(IPAddress.Loopback, 1), new IPEndPoint(IPAddress.Parse("239.1.1.1"), 2)))
        {
            while (f.Length < 3_000_000)
            {
                var payload = new byte[rng.Next(20, 1400)];
                rng.NextBytes(payload);
                w.Write(payload, 1_000_000_000L * written);
                written++;
            }
        }
        // An oversized record (longer than the streaming buffer) then one more normal record, appended by hand.
        byte[] normal = File.ReadAllBytes(path).AsSpan(PcapSource.GlobalHeaderSize).ToArray();
        int firstRecord = PcapSource.RecordHeaderSize + BinaryPrimitives.ReadInt32LittleEndian(normal.AsSpan(8));
        using (var f = new FileStream(path, FileMode.Append))
        {
            var big = new byte[PcapSource.RecordHeaderSize + 70_000];
            BinaryPrimitives.WriteUInt32LittleEndian(big.AsSpan(8), 70_000);
            BinaryPrimitives.WriteUInt32LittleEndian(big.AsSpan(12), 70_000);
            f.Write(big);
            f.Write(normal.AsSpan(0, firstRecord));
        }
        byte[] all = File.ReadAllBytes(path);
        using var streamed = PcapSource.Open(path, bufferSize: PcapSource.MinBufferSize);
        var inMemory = new PcapSource(all);
        var a = new Digest();
        var b = new Digest();
        while (streamed.Poll(ref a, 100) > 0) { }
        while (inMemory.Poll(ref b, 100) > 0) { }
        Assert.Equal(written + 1, a.Count);
        Assert.Equal(1, streamed.Counters.OversizedRecords);
        Assert.Equal(written + 2, streamed.Counters.Records);
        Assert.Equal((long)all.Length, streamed.Offset);
        // In memory the big record is read and dropped as a frame that is not IPv4; the payloads are the same.
        Assert.Equal((b.Count, b.Bytes, b.Hash), (a.Count, a.Bytes, a.Hash));
        Assert.Equal(0, streamed.Counters.TruncatedTailBytes);
    }

    [Fact]
    public void Streaming_buffer_must_hold_one_largest_message_or_frame()
    {
        string path = Path.Combine(_dir, "x");
        File.WriteAllBytes(path, new byte[30]);
        Assert.Contains("bufferSize=100", Assert.Throws<ArgumentOutOfRangeException>(() => ItchFileSource.Open(path, bufferSize: 100)).Message);
        Assert.Contains("bufferSize=100", Assert.Throws<ArgumentOutOfRangeException>(() => PcapSource.Open(path, bufferSize: 100)).Message);
    }
}
