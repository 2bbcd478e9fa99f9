using System;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

// Stale state: books a sequence gap touched, until recovery clears them.
public sealed partial class OrderBookSet
{
    // ---------------------------------------------------------------- stale state

    /// <summary>Marks one book stale (a sequence gap touched it). Events still apply; they carry
    /// <see cref="EventFlags.BookStale"/> until <see cref="ClearStale"/>. False when the id is out of range.</summary>
    public bool MarkStale(int instrument)
    {
        if ((uint)instrument >= (uint)_maxInstruments) return false;
        _stale[instrument] = true;
        return true;
    }

    /// <summary>Marks every book stale (a gap on the line: any instrument may have missed messages).</summary>
    public void MarkAllStale()
    {
        Array.Fill(_stale, true);
        _allStale = true;
    }

    /// <summary>
    /// True from <see cref="MarkAllStale"/> until any book is cleared: lets the book stage mark everything once per gap
    /// instead of once per event (a fill of up to 65,536 flags).
    /// </summary>
    public bool IsAllStale => _allStale;

    /// <summary>Recovery finished for one book. False when the id is out of range.</summary>
    public bool ClearStale(int instrument)
    {
        if ((uint)instrument >= (uint)_maxInstruments) return false;
        _stale[instrument] = false;
        _allStale = false;
        return true;
    }

    /// <summary>Recovery finished for the whole line.</summary>
    public void ClearAllStale()
    {
        Array.Clear(_stale);
        _allStale = false;
    }

    /// <summary>True while the book is stale; false for an id out of range.</summary>
    public bool IsStale(int instrument) => (uint)instrument < (uint)_maxInstruments && _stale[instrument];
}
