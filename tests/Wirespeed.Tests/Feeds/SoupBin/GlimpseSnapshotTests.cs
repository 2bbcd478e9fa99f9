using System;
using System.Threading.Tasks;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.SoupBin;
using Xunit;
using static Wirespeed.Tests.Feeds.SoupBin.SoupBinTestKit;

namespace Wirespeed.Tests.Feeds.SoupBin;

/// <summary>
/// Snapshot recovery end to end over loopback (ports 26590..26594, this file's only): the simulator's Glimpse-style
/// server sends its books as ITCH messages and End of Snapshot; the loader rebuilds fresh books whose checksum equals
/// reference books fed the ITCH stream up to that sequence, and the live stream from the returned sequence keeps them equal.
/// </summary>
public sealed class GlimpseSnapshotTests
{
    private static readonly BookOptions Books = new() { MaxInstruments = 64, MaxLiveOrders = 1 << 16, MaxLevelsPerSide = 256 };

    private static void Apply(OrderBookSet books, ReadOnlySpan<byte> message, ulong sequence)
    {
        var evt = default(MarketEvent);
        Assert.Equal(DecodeStatus.Ok, ItchNormaliser.Normalise(message, sequence, 0, 0, 0, ref evt));
        books.Apply(ref evt);
    }

    [Fact]
    public async Task Rebuilt_books_match_the_reference_at_the_snapshot_and_after_the_live_stream()
    {
        var sim = new ExchangeSimulator(new SimulatorOptions { Instruments = 12, Seed = 1234 });
        var stream = new SimMessageStore();
        var reference = new OrderBookSet(Books);
        var m = new byte[ExchangeSimulator.MaxMessageLength];
        void Step()
        {
            int n = sim.NextMessage(m);
            stream.Append(m.AsSpan(0, n));
            Apply(reference, m.AsSpan(0, n), (ulong)stream.Count);
        }
        for (int i = 0; i < 20_000; i++) Step();
        var glimpse = new GlimpseSnapshotSource();
        var snapshot = glimpse.Capture(sim, sim.MessagesEmitted);
        ulong atSnapshot = reference.Checksum();
        Assert.True(reference.LiveOrders > 100, "a book worth rebuilding");
        for (int i = 0; i < 5_000; i++) Step();   // the market moves on while the client connects
        stream.End();

        using var snapshots = new SoupBinSimServer(new SoupBinServerOptions { Port = 26590 }, glimpse.ForLogin);
        var books = new OrderBookSet(Books);
        var result = await GlimpseSnapshotLoader.LoadAsync(new SoupBinClientOptions { Port = 26590, Username = "sim", Password = "sim" }, books, TimeSpan.FromSeconds(20));
        Assert.True(result.Complete);
        Assert.Equal(20_001UL, result.NextSequence);
        Assert.Equal(snapshot.Count - 1, result.Applied);   // everything but End of Snapshot
        Assert.Equal(0, result.Malformed);
        Assert.Equal(SoupBinClientState.LoggedOut, result.ClientState);
        Assert.Equal(atSnapshot, books.Checksum());
        WaitFor(() => System.Threading.Interlocked.Read(ref snapshots.Counters.Logouts) == 1, "the server to see the logout");

        // The live stream from the snapshot's sequence (TCP replay) brings the rebuilt books level with the reference.
        using var replay = new SoupBinSimServer(new SoupBinServerOptions { Port = 26591 }, stream);
        var live = new CollectingHandler();
        using var client = new SoupBinClient(new SoupBinClientOptions { Port = 26591, Username = "sim", Password = "sim", FirstSequence = result.NextSequence }, live);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client, 20));
        var got = live.Snapshot();
        Assert.Equal(5_000, got.Count);
        foreach (var (seq, msg) in got) Apply(books, msg, seq);
        Assert.Equal(reference.Checksum(), books.Checksum());
        Assert.NotEqual(atSnapshot, books.Checksum());
    }

    [Fact]
    public async Task A_snapshot_before_any_capture_is_empty_and_a_silent_server_leaves_the_load_incomplete()
    {
        var glimpse = new GlimpseSnapshotSource();
        Assert.Equal(1, glimpse.NextSequence);
        using (var server = new SoupBinSimServer(new SoupBinServerOptions { Port = 26592 }, glimpse.ForLogin))
        {
            var books = new OrderBookSet(Books);
            var r = await GlimpseSnapshotLoader.LoadAsync(new SoupBinClientOptions { Port = 26592, Username = "sim", Password = "sim" }, books, TimeSpan.FromSeconds(10));
            Assert.True(r.Complete);
            Assert.Equal(1UL, r.NextSequence);
            Assert.Equal(0, r.Applied);
        }
        // A peer that accepts the connection and never answers: the load ends incomplete at the timeout.
        using var peer = new ScriptedSoupBinPeer(26593, async (s, n, ct) => await Task.Delay(TimeSpan.FromSeconds(30), ct));
        var stale = new OrderBookSet(Books);
        var result = await GlimpseSnapshotLoader.LoadAsync(new SoupBinClientOptions { Port = 26593 }, stale, TimeSpan.FromMilliseconds(300));
        Assert.False(result.Complete);
        Assert.Equal(0UL, result.NextSequence);
        Assert.Equal(SoupBinClientState.LoggedOut, result.ClientState);
    }

    [Fact]
    public void End_of_snapshot_is_read_strictly()
    {
        var b = new byte[GlimpseLayout.EndOfSnapshotLength];
        Assert.Equal(21, GlimpseLayout.WriteEndOfSnapshot(b, 987));
        Assert.True(GlimpseLayout.TryReadEndOfSnapshot(b, out ulong next));
        Assert.Equal(987UL, next);
        Assert.False(GlimpseLayout.TryReadEndOfSnapshot(b.AsSpan(0, 20), out _));
        b[0] = (byte)'A';
        Assert.False(GlimpseLayout.TryReadEndOfSnapshot(b, out _));
        Assert.Throws<ArgumentException>(() => GlimpseLayout.WriteEndOfSnapshot(new byte[20], 1));
    }
}
