using System;
using System.Collections.Generic;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>The decode path allocates nothing per packet once warm, faults and quarantine included.</summary>
public sealed class DecodeAllocationTests
{
    [Fact]
    public void Decoding_valid_and_malformed_packets_allocates_zero_bytes_after_warm_up()
    {
        List<byte[]> corpus = HostileInputTests.Corpus();
        var rng = new Random(5);
        var mutated = new List<byte[]>();
        var buffer = new byte[2048];
        for (int i = 0; i < 2000; i++) mutated.Add(buffer.AsSpan(0, HostileInputTests.Mutate(rng, corpus, buffer)).ToArray());
        // With the clock-health state attached, flagged half the time: the flag read and the observation allocate nothing either.
        var clock = new ClockHealthState();
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { SessionChange = SessionChangePolicy.Follow }, Clock = clock }, new QuarantineRing(64, 512));
        var handler = new CountingHandler();
        var output = new MarketEvent[128];

        void RunAll()
        {
            for (int i = 0; i < corpus.Count; i++)
            {
                clock.Publish(suspect: (i & 1) == 0);
                var info = new PacketInfo(i, 1, PacketSourceKind.InProcess);
                decoder.Decode(corpus[i], in info, ref handler);
                decoder.Decode(corpus[i], in info, output);
            }
            for (int i = 0; i < mutated.Count; i++)
            {
                var info = new PacketInfo(i, 1, PacketSourceKind.InProcess);
                decoder.Decode(mutated[i], in info, ref handler);
            }
            while (decoder.Session.TryTakeGap(out _)) { }
        }

        RunAll(); // warm-up: JIT tiers, static tables
        RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunAll();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(handler.Count > 0);
        Assert.True(clock.SuspectEvents > 0);
    }

    [Fact]
    public void Polling_pcap_and_itch_file_sources_into_the_decoder_allocates_zero_bytes()
    {
        var pcap = PcapSource.Open(SharedData.Path("itch/nasdaq-packets/MultipleMessages.pcap"));
        var file = ItchFileSource.Open(SharedData.Path("itch/artificial-3-stocks.itch50"));
        // Two sessions (the capture's and the file's synthetic one): the decoder follows each change.
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { CheckSequence = false, SessionChange = SessionChangePolicy.Follow } });
        var adapter = new ItchPacketHandler<CountingHandler>(decoder, default);
        for (int warm = 0; warm < 3; warm++)
        {
            pcap.Rewind(); while (pcap.Poll(ref adapter, 64) > 0) { }
            file.Rewind(); while (file.Poll(ref adapter, 1024) > 0) { }
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        pcap.Rewind(); while (pcap.Poll(ref adapter, 64) > 0) { }
        file.Rewind(); while (file.Poll(ref adapter, 1024) > 0) { }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(4 * (39 + 12_012), adapter.Events);
    }
}
