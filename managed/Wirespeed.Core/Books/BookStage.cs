using System.Runtime.CompilerServices;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Core.Books;

/// <summary>
/// The book stage: applies every event to the feed line's order books, in feed order (the ordering guarantee of
/// DESIGN.md), and marks top-of-book changes on the event. A sequence gap may have hidden messages of any instrument,
/// so the first event the decoder flags BookStale marks every book stale, until recovery clears them.
/// </summary>
public struct BookStage : IStage
{
    private readonly OrderBookSet _books;
    private readonly HotThreadProbe? _probe;

    public BookStage(OrderBookSet books, HotThreadProbe? probe = null)
    {
        _books = books;
        _probe = probe;
    }

    public readonly OrderBookSet Books => _books;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        if ((evt.Flags & EventFlags.BookStale) != 0 && !_books.IsAllStale) _books.MarkAllStale();
        _books.Apply(ref evt);   // every outcome is counted by cause inside the book set; the event always goes on
        return Verdict.Continue;
    }

    public void EndBatch(in StageContext ctx) => _probe?.OnBatch();
}
