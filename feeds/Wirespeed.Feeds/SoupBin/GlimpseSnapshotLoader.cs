using System;
using System.Threading.Tasks;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>What a snapshot load ended with.</summary>
/// <param name="Complete">True when End of Snapshot arrived.</param>
/// <param name="NextSequence">The ITCH sequence number from which the live feed applies to the rebuilt books (the
/// End of Snapshot's number); 0 when incomplete.</param>
/// <param name="Applied">Snapshot messages applied to the books.</param>
/// <param name="Malformed">Snapshot messages that were not valid ITCH 5.0 (counted, not applied).</param>
/// <param name="ClientState">The SoupBinTCP client's final state.</param>
public readonly record struct GlimpseSnapshotResult(bool Complete, ulong NextSequence, long Applied, long Malformed, SoupBinClientState ClientState);

/// <summary>
/// Rebuilds order books from a GLIMPSE 5.0-style snapshot over SoupBinTCP (cold path, recovery): logs in, resets the
/// books, applies every ITCH message of the snapshot, and on End of Snapshot logs out and returns the sequence number
/// from which the live feed applies. The books must not be touched by another thread until the load returns (the
/// messages are applied on the client's I/O thread). A snapshot is consistent only as one piece, so a lost link is not
/// resumed: the load ends incomplete and the caller asks again.
/// </summary>
public sealed class GlimpseSnapshotLoader : ISoupBinDataHandler
{
    private readonly OrderBookSet _books;
    private SoupBinClient? _client;
    private bool _ended;
    private ulong _nextSequence;
    private long _applied;
    private long _malformed;

    private GlimpseSnapshotLoader(OrderBookSet books) => _books = books;

    /// <summary>Loads a snapshot into <paramref name="books"/> (reset first). Waits at most <paramref name="timeout"/>.</summary>
    public static async Task<GlimpseSnapshotResult> LoadAsync(SoupBinClientOptions options, OrderBookSet books, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(books);
        books.Reset();
        var loader = new GlimpseSnapshotLoader(books);
        // A snapshot is served whole per login: never resume one across a reconnect.
        using var client = new SoupBinClient(options with { MaxReconnects = 0 }, loader);
        loader._client = client;
        client.Start();
        var finished = await Task.WhenAny(client.Completion, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished != client.Completion) client.Logout();
        var state = await client.Completion.ConfigureAwait(false);
        return new GlimpseSnapshotResult(loader._ended, loader._ended ? loader._nextSequence : 0, loader._applied, loader._malformed, state);
    }

    bool ISoupBinDataHandler.OnSequenced(ulong sequence, ReadOnlySpan<byte> message)
    {
        if (_ended) return true;   // nothing after End of Snapshot belongs to it
        if (GlimpseLayout.TryReadEndOfSnapshot(message, out ulong next))
        {
            _nextSequence = next;
            _ended = true;
            _client!.Logout();
            return true;
        }
        var evt = default(MarketEvent);
        if (ItchNormaliser.Normalise(message, sequence, 0, 0, 0, ref evt) != DecodeStatus.Ok)
        {
            _malformed++;
            return true;
        }
        _books.Apply(ref evt);
        _applied++;
        return true;
    }

    bool ISoupBinDataHandler.OnUnsequenced(ReadOnlySpan<byte> message) => true;

    void ISoupBinDataHandler.OnEndOfSession(ulong nextSequence)
    {
    }
}
