using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;
using Wirespeed.Interop;
using Xunit;
using Wirespeed.Core.Pipeline.Topology;

namespace Wirespeed.Tests.Core.Pipeline;

public class BatchSourceTests
{
    /// <summary>Packets from a list, delivered in order, at most <c>limit</c> per poll.</summary>
    private struct ListPacketSource : IPacketSource
    {
        private readonly byte[][] _packets;
        private int _next;

        public ListPacketSource(byte[][] packets)
        {
            _packets = packets;
            _next = 0;
        }

        public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        {
            int n = 0;
            while (n < limit && _next < _packets.Length)
            {
                handler.OnPacket(_packets[_next], new PacketInfo(1_000 + _next, lineId: 3, PacketSourceKind.InProcess));
                _next++;
                n++;
            }
            return n;
        }
    }

    /// <summary>A packet is a run of 8-byte big-endian sequence numbers; one event each.</summary>
    private struct SequenceDecoder : IPacketDecoder
    {
        public const int Max = 10;

        public readonly int MaxEventsPerPacket => Max;

        public readonly int EventBound(ReadOnlySpan<byte> payload) => Math.Min(Max, payload.Length / 8);

        public readonly void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events)
        {
            for (int i = 0; i + 8 <= payload.Length; i += 8)
            {
                var e = new MarketEvent
                {
                    Sequence = BinaryPrimitives.ReadUInt64BigEndian(payload.Slice(i)),
                    ReceiveTimestampNs = info.ReceiveTimestampNs,
                    LineId = info.LineId,
                };
                events.OnEvent(ref e);
            }
        }
    }

    private static byte[][] Packets(out int total, int maxPerPacket = SequenceDecoder.Max)
    {
        var rng = new Random(42);
        var packets = new List<byte[]>();
        ulong seq = 1;
        for (int p = 0; p < 200; p++)
        {
            int count = rng.Next(0, maxPerPacket + 1);     // empty packets (heartbeats) included
            var bytes = new byte[count * 8];
            for (int i = 0; i < count; i++) BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), seq++);
            packets.Add(bytes);
        }
        total = (int)(seq - 1);
        return packets.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(17)]
    [InlineData(64)]
    public void Packet_source_delivers_every_decoded_event_in_order_whatever_the_batch_size(int batchSize)
    {
        var packets = Packets(out int total);
        var source = new PacketBatchSource<ListPacketSource, SequenceDecoder>(new ListPacketSource(packets), new SequenceDecoder());
        var batch = new MarketEvent[batchSize];
        var seen = new List<ulong>();

        for (int guard = 0; guard < 100_000; guard++)
        {
            int n = source.Fill(batch);
            Assert.InRange(n, 0, batchSize);
            if (n == 0) break;
            for (int i = 0; i < n; i++)
            {
                seen.Add(batch[i].Sequence);
                Assert.Equal(3, batch[i].LineId);
            }
        }

        Assert.Equal(total, seen.Count);
        for (int i = 0; i < seen.Count; i++) Assert.Equal((ulong)(i + 1), seen[i]);
        Assert.Equal(packets.Length, source.PacketCount);
        Assert.Equal(0, source.PendingCount);
    }

    [Fact]
    public void Packet_source_feeds_a_runner_and_end_to_end_uses_the_packet_receive_time()
    {
        var packets = Packets(out int total);
        var collector = new Collector(total);
        var runner = new StageRunner<PacketBatchSource<ListPacketSource, SequenceDecoder>, StageNode<CollectStage>>("decode",
            new(new ListPacketSource(packets), new SequenceDecoder()), Stages.Node(new CollectStage(collector), "collect", 0), 64,
            new Wirespeed.Core.Monitoring.StageMetrics("e2e", 0));

        while (runner.DoWork() > 0) { }

        Assert.Equal(total, collector.Count);
        Assert.Equal(total, runner.EndToEnd!.Count);
        Assert.Equal(packets.Length, runner.Source.PacketCount);
    }

    [Theory]
    [InlineData(7)]     // staged path
    [InlineData(64)]    // direct path
    public void Events_beyond_a_decoders_stated_maximum_are_counted_not_written(int batchSize)
    {
        var packets = Packets(out int total, maxPerPacket: SequenceDecoder.Max + 5);
        int expectedOverflow = 0;
        foreach (var p in packets) expectedOverflow += Math.Max(0, p.Length / 8 - SequenceDecoder.Max);
        var source = new PacketBatchSource<ListPacketSource, SequenceDecoder>(new ListPacketSource(packets), new SequenceDecoder());
        var batch = new MarketEvent[batchSize];
        int delivered = 0;

        for (int n; (n = source.Fill(batch)) > 0;) delivered += n;

        Assert.True(expectedOverflow > 0);
        Assert.Equal(expectedOverflow, source.OverflowCount);
        Assert.Equal(total, delivered + expectedOverflow);
    }

    [Fact]
    public void Event_batch_writer_counts_what_does_not_fit()
    {
        var target = new MarketEvent[8];
        var writer = new EventBatchWriter(target, start: 5, length: 2);
        var e = new MarketEvent { Sequence = 9 };

        writer.OnEvent(ref e);
        writer.Advance(3);

        Assert.Equal(2, writer.Count);
        Assert.Equal(2, writer.Overflow);
        Assert.Equal(9UL, target[5].Sequence);
        Assert.Equal(0, writer.Free.Length);
        Assert.Throws<ArgumentException>(() => new EventBatchWriter(target, 7, 2));
    }

    [Fact]
    public void Ring_source_fills_at_most_one_batch_and_keeps_the_rest_for_later()
    {
        using var link = new RingLink("test", 16);
        for (ulong s = 1; s <= 10; s++) Assert.True(link.Ring.TryWrite(new MarketEvent { Sequence = s }));
        var source = new RingSource(link.Ring);
        var batch = new MarketEvent[4];

        var sizes = new List<int>();
        var seqs = new List<ulong>();
        for (int n; (n = source.Fill(batch)) > 0;)
        {
            sizes.Add(n);
            for (int i = 0; i < n; i++) seqs.Add(batch[i].Sequence);
        }

        Assert.Equal(new[] { 4, 4, 2 }, sizes);
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, seqs);
        Assert.Equal(0, link.Ring.Count);
    }

    [Fact]
    public void Cpu_set_mirrors_glibc_cpu_set_t()
    {
        Assert.Equal(128, Unsafe.SizeOf<CpuSet>());   // glibc: CPU_SETSIZE 1024 bits
        var set = new CpuSet();
        set.Add(0);
        set.Add(65);
        set.Add(1023);
        Assert.True(set.Contains(0) && set.Contains(65) && set.Contains(1023));
        Assert.False(set.Contains(1) || set.Contains(64) || set.Contains(1024) || set.Contains(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuSet().Add(1024));
    }
}
