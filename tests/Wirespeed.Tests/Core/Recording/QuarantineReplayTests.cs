using System;
using System.IO;
using Wirespeed.Core.Events;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.Core.Recording;

public sealed class QuarantineReplayTests
{
    private struct NoEvents : IEventHandler
    {
        public long Count;
        public void OnEvent(ref MarketEvent evt) => Count++;
    }

    [Fact]
    public void Dumped_message_rejects_replay_as_the_same_causes()
    {
        var q = new QuarantineRing(16, 512);
        var d = new ItchFeedDecoder(quarantine: q);
        byte[] shortDelete = Delete(2).AsSpan(0, 15).ToArray();   // BadLength
        byte[] unknown = Delete(3); unknown[0] = (byte)'!';         // UnknownType
        DecodeAll(d, Packet("LIVE", 1, Delete(1), shortDelete, unknown, Delete(4)));
        Assert.Equal((1, 1), ((int)d.Counters.BadLength, (int)d.Counters.UnknownType));
        Assert.Equal(2, q.Count);
        Assert.Equal(QuarantinePayload.Message, q.Get(0, out _, out _).Payload);

        using var dump = new MemoryStream();
        q.WritePcap(dump);
        var replayQuarantine = new QuarantineRing(16, 512);
        var replay = new ItchFeedDecoder(quarantine: replayQuarantine);
        var source = new PcapSource(dump.ToArray());
        var handler = new ItchPacketHandler<NoEvents>(replay, default);
        Assert.Equal(2, source.Poll(ref handler, 100));

        Assert.Equal(1, replay.Counters.BadLength);
        Assert.Equal(1, replay.Counters.UnknownType);
        Assert.Equal(0, replay.MoldCounters.TruncatedHeader + replay.MoldCounters.UnframedMessages + replay.MoldCounters.DuplicateMessages);
        Assert.Equal("LIVE      ", System.Text.Encoding.ASCII.GetString(replay.Session.SessionId));
        var first = replayQuarantine.Get(0, out ReadOnlySpan<byte> raw, out _);
        Assert.Equal(2UL, first.Sequence);
        Assert.Equal(shortDelete, raw.ToArray());
        Assert.Equal(3UL, replayQuarantine.Get(1, out _, out _).Sequence);
    }

    [Fact]
    public void Packet_rejects_are_dumped_unchanged()
    {
        var q = new QuarantineRing(4, 512);
        var d = new ItchFeedDecoder(quarantine: q);
        DecodeAll(d, Packet("A", 1, Delete(1)));
        byte[] intruder = Packet("B", 2, Delete(2));
        DecodeAll(d, intruder);
        using var dump = new MemoryStream();
        q.WritePcap(dump);
        var replay = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { ExpectedSession = "A" } });
        var handler = new ItchPacketHandler<NoEvents>(replay, default);
        new PcapSource(dump.ToArray()).Poll(ref handler, 10);
        Assert.Equal(1, replay.MoldCounters.WrongSession);
    }
}
