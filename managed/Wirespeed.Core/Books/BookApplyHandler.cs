using System.Runtime.CompilerServices;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

/// <summary>Applies decoded events straight to the books on the calling thread (replay, tests, benchmarks).</summary>
public struct BookApplyHandler : IEventHandler
{
    private readonly OrderBookSet _books;
    public long Events;
    public long TopChanges;

    public BookApplyHandler(OrderBookSet books)
    {
        _books = books;
        Events = 0;
        TopChanges = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent(ref MarketEvent evt)
    {
        if ((evt.Flags & EventFlags.BookStale) != 0 && !_books.IsAllStale) _books.MarkAllStale();
        _books.Apply(ref evt);
        Events++;
        if ((evt.Flags & EventFlags.TopChanged) != 0) TopChanges++;
    }
}
