using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>
/// Random and mutated input: the decoders never throw, and every packet and every announced message ends up counted
/// as decoded, dropped (duplicate) or rejected under a named cause (and quarantined where the policy says so).
/// </summary>
public sealed class HostileInputTests
{
    private const int Packets = 1_000_000;

    /// <summary>Real packets to mutate: the 38-message production packet, and the artificial file cut into packets.</summary>
    internal static List<byte[]> Corpus()
    {
        var corpus = new List<byte[]>();
        var pcap = PcapSource.Open(SharedData.Path("itch/nasdaq-packets/MultipleMessages.pcap"));
        var collect = new CollectPayloads { Payloads = corpus };
        while (pcap.Poll(ref collect, 16) > 0) { }
        foreach (string name in new[] { "AddOrderNoMPID", "OrderExecuted", "NetOrderImbalanceIndicator", "CrossTrade", "LULDAuctionCollar" })
        {
            var s = PcapSource.Open(SharedData.Path($"itch/nasdaq-packets/{name}.pcap"));
            while (s.Poll(ref collect, 16) > 0) { }
        }
        var file = ItchFileSource.Open(SharedData.Path("itch/artificial-3-stocks.itch50"));
        var batch = new List<byte[]>();
        ulong sequence = 1;
        var rng = new Random(7);
        while (file.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok)
        {
            batch.Add(m.ToArray());
            if (batch.Count >= rng.Next(1, 40))
            {
                corpus.Add(ItchTestData.Packet("ARTIFICIAL", sequence, batch.ToArray()));
                sequence += (ulong)batch.Count;
                batch.Clear();
            }
        }
        foreach (string name in ItchTestData.FixtureNames) corpus.Add(ItchTestData.Packet("GOLDEN", 1, ItchTestData.Hex(name)));
        return corpus;
    }

    private struct CollectPayloads : IPacketHandler
    {
        public List<byte[]> Payloads;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Payloads.Add(payload.ToArray());
    }

    /// <summary>Writes a mutated copy of a random corpus packet (or pure noise) into <paramref name="buffer"/>; returns its length.</summary>
    internal static int Mutate(Random rng, List<byte[]> corpus, byte[] buffer)
    {
        int kind = rng.Next(8);
        if (kind == 0)
        {
            int n = rng.Next(0, 300);
            rng.NextBytes(buffer.AsSpan(0, n));
            return n;
        }
        byte[] src = corpus[rng.Next(corpus.Count)];
        int length = src.Length;
        src.CopyTo(buffer, 0);
        switch (kind)
        {
            case 1: // bit flips
                for (int i = rng.Next(1, 9); i > 0; i--) buffer[rng.Next(length)] ^= (byte)(1 << rng.Next(8));
                break;
            case 2: // truncation
                length = rng.Next(0, length);
                break;
            case 3: // a block length prefix corrupted (walks the real framing, then hits one prefix)
            {
                int offset = 20, target = rng.Next(1, 40);
                while (offset + 2 <= length && --target > 0) offset += 2 + BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(offset));
                if (offset + 2 <= length)
                    BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset), (ushort)(rng.Next(3) switch { 0 => 0, 1 => rng.Next(1, 60), _ => rng.Next(65536) }));
                break;
            }
            case 4: // header count corrupted (heartbeat, end of session, more or fewer blocks)
                if (length >= 20) BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(18), (ushort)(rng.Next(4) switch { 0 => 0, 1 => 0xFFFF, 2 => rng.Next(1, 80), _ => rng.Next(65536) }));
                break;
            case 5: // sequence or session corrupted
                if (length >= 20)
                {
                    if (rng.Next(2) == 0) BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(10), (ulong)rng.NextInt64() * (ulong)rng.Next(1, 3));
                    else buffer[rng.Next(10)] ^= 0x20;
                }
                break;
            case 6: // message type byte replaced
                if (length > 22) buffer[22] = (byte)rng.Next(256);
                break;
            default: // trailing garbage
                int extra = rng.Next(1, 40);
                if (length + extra <= buffer.Length) { rng.NextBytes(buffer.AsSpan(length, extra)); length += extra; }
                break;
        }
        return length;
    }

    private static void AssertAccounted(ItchFeedDecoder d, QuarantineRing q, long packets, long events)
    {
        MoldCounters m = d.MoldCounters;
        ItchCounters i = d.Counters;
        Assert.Equal(packets, m.Packets);
        Assert.Equal(m.Packets, m.TruncatedHeader + m.WrongSession + m.MalformedSequence + m.SuspectJumps + m.Heartbeats + m.EndOfSession + m.DataPackets);
        Assert.True(m.AnnouncedMessages == m.DuplicateMessages + m.UnframedMessages + i.Messages + i.BadLength + i.UnknownType + i.OutputFull,
            $"announced {m.AnnouncedMessages} dup {m.DuplicateMessages} unframed {m.UnframedMessages} ok {i.Messages} badlen {i.BadLength} unknown {i.UnknownType} full {i.OutputFull}");
        Assert.Equal(m.AnnouncedMessages, m.DuplicateMessages + m.UnframedMessages + i.Messages + i.BadLength + i.UnknownType + i.OutputFull);
        Assert.True(events == i.Messages, $"events {events} messages {i.Messages}");
        long byType = 0;
        foreach (long c in i.ByType) byType += c;
        Assert.True(i.Messages == byType, $"messages {i.Messages} byType {byType} full {i.OutputFull}");
        long rejections = m.TruncatedHeader + m.WrongSession + m.MalformedSequence + m.SuspectJumps + m.ZeroLengthBlocks + m.OverrunBlocks + m.TruncatedPackets
                        + m.TrailingBytesPackets + i.BadLength + i.UnknownType;
        Assert.Equal(rejections, q.Captured);
        Assert.Equal(rejections, q.Errors.Total);
    }

    [Fact]
    public void A_million_random_and_mutated_packets_never_throw_and_every_message_is_accounted_for()
    {
        List<byte[]> corpus = Corpus();
        var rng = new Random(20240601);
        var buffer = new byte[2048];
        var output = new MarketEvent[128];
        var q1 = new QuarantineRing(256, 256);
        var q2 = new QuarantineRing(256, 256);
        // Follow: the corpus mixes sessions, and a decoder stuck on the first one would test only WrongSession.
        var unsequenced = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { CheckSequence = false, SessionChange = SessionChangePolicy.Follow } }, q1);
        var sequenced = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { SessionChange = SessionChangePolicy.Follow } }, q2);
        var handler = new CountingHandler();
        long spanEvents = 0;
        for (int p = 0; p < Packets; p++)
        {
            int length = Mutate(rng, corpus, buffer);
            ReadOnlySpan<byte> packet = buffer.AsSpan(0, length);
            var info = new PacketInfo(p, 1, PacketSourceKind.InProcess);
            // Alternate a small output span (forces OutputFull) and a large one.
            spanEvents += unsequenced.Decode(packet, in info, output.AsSpan(0, (p & 15) == 0 ? 4 : output.Length));
            sequenced.Decode(packet, in info, ref handler);
        }
        AssertAccounted(unsequenced, q1, Packets, spanEvents);
        AssertAccounted(sequenced, q2, Packets, handler.Count);
        // The mix reached every cause at least once.
        MoldCounters m = unsequenced.MoldCounters;
        ItchCounters i = unsequenced.Counters;
        Assert.All(new[] { m.TruncatedHeader, m.Heartbeats, m.EndOfSession, m.ZeroLengthBlocks, m.OverrunBlocks, m.TruncatedPackets,
                           m.TrailingBytesPackets, i.BadLength, i.UnknownType, i.OutputFull, i.Messages }, c => Assert.True(c > 0));
        Assert.True(sequenced.MoldCounters.DuplicatePackets > 0);
        Assert.True(sequenced.MoldCounters.GapPackets > 0);
        Assert.True(sequenced.MoldCounters.SessionChanges > 0);
        // Reject policy on the same mix: other sessions are counted and quarantined, never decoded.
        var strict = new ItchFeedDecoder(null, new QuarantineRing(16, 64));
        var strictHandler = new CountingHandler();
        rng = new Random(1);
        for (int p = 0; p < 50_000; p++)
        {
            var info = new PacketInfo(p, 1, PacketSourceKind.InProcess);
            strict.Decode(buffer.AsSpan(0, Mutate(rng, corpus, buffer)), in info, ref strictHandler);
        }
        AssertAccounted(strict, strict.Quarantine!, 50_000, strictHandler.Count);
        Assert.True(strict.MoldCounters.WrongSession > 0);
    }

    [Fact]
    public void Mutated_pcap_and_itch_files_never_throw_and_count_every_record()
    {
        byte[] pcap = File.ReadAllBytes(SharedData.Path("itch/nasdaq-packets/MultipleMessages.pcap"));
        byte[] itch = File.ReadAllBytes(SharedData.Path("itch/artificial-3-stocks.itch50")).AsSpan(0, 4000).ToArray();
        var rng = new Random(99);
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { CheckSequence = false } });
        for (int round = 0; round < 5_000; round++)
        {
            byte[] p = (byte[])pcap.Clone();
            for (int f = rng.Next(1, 6); f > 0; f--) p[rng.Next(p.Length)] ^= (byte)(1 << rng.Next(8));
            if (rng.Next(4) == 0) Array.Resize(ref p, rng.Next(p.Length));
            var source = new PcapSource(p);
            var adapter = new ItchPacketHandler<CountingHandler>(decoder, default);
            while (source.Poll(ref adapter, 8) > 0) { }
            PcapCounters c = source.Counters;
            Assert.Equal(c.Records, c.UdpPayloads + c.ShortFrames + c.NotIpv4 + c.BadIhl + c.TruncatedIp + c.NotUdp + c.Fragments + c.TruncatedUdp + c.UnsupportedLinkType);

            byte[] f2 = (byte[])itch.Clone();
            for (int f = rng.Next(1, 6); f > 0; f--) f2[rng.Next(f2.Length)] ^= (byte)(1 << rng.Next(8));
            var file = new ItchFileSource(f2);
            long framedBytes = 0;
            while (file.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok) framedBytes += 2 + m.Length;
            Assert.Equal(f2.Length, framedBytes + file.Counters.UnframedBytes); // every byte framed or counted
        }
    }
}
