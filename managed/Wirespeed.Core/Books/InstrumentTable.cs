using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Books;

/// <summary>
/// Dense instrument id (ITCH stock locate) → symbol, round lot and sector. Fixed capacity, reserved at construction.
/// </summary>
/// <remarks>
/// A symbol is 8 ASCII bytes, right-padded with spaces as ITCH 5.0 sends it (Stock Directory, field Stock, Alpha(8)),
/// held as those bytes read as a little-endian <see cref="ulong"/>: one compare per lookup and no string in the table.
/// Id lookups are array reads (hot path). Symbol lookups go through a dictionary sized at construction, so adding up to
/// <see cref="Capacity"/> symbols never resizes it and never allocates. Writer: the book thread (stock directory
/// messages) or start-up configuration; there is no internal synchronisation.
/// </remarks>
public sealed class InstrumentTable
{
    private readonly ulong[] _symbols;
    private readonly int[] _roundLots;
    private readonly int[] _sectors;
    private readonly bool[] _defined;
    private readonly Dictionary<ulong, int> _bySymbol;
    private int _count;

    /// <param name="capacity">Number of dense ids (0..capacity-1).</param>
    public InstrumentTable(int capacity)
    {
        if (capacity < 1) ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be at least 1.");
        _symbols = new ulong[capacity];
        _roundLots = new int[capacity];
        _sectors = new int[capacity];
        _defined = new bool[capacity];
        _bySymbol = new Dictionary<ulong, int>(capacity);
    }

    /// <summary>Number of ids the table can hold.</summary>
    public int Capacity => _symbols.Length;

    /// <summary>Ids defined so far.</summary>
    public int Count => _count;

    /// <summary>Symbol of the 8 ASCII bytes, space padded, read as little-endian (the form ITCH's Alpha(8) decodes to).
    /// Longer text is refused: a symbol that does not fit cannot be a feed symbol.</summary>
    public static ulong EncodeSymbol(ReadOnlySpan<char> symbol)
    {
        if (symbol.Length > 8) ThrowHelper.Argument(nameof(symbol), $"symbol '{symbol.ToString()}' is longer than 8 characters.");
        Span<byte> bytes = stackalloc byte[8];
        bytes.Fill((byte)' ');
        for (int i = 0; i < symbol.Length; i++)
        {
            char c = symbol[i];
            if (c > 0x7E || c < 0x20) ThrowHelper.Argument(nameof(symbol), $"symbol '{symbol.ToString()}' has a non-ASCII character.");
            bytes[i] = (byte)c;
        }
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <summary>Text of an encoded symbol with trailing spaces removed (cold path: allocates a string).</summary>
    public static string DecodeSymbol(ulong symbol)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, symbol);
        int length = 8;
        while (length > 0 && (bytes[length - 1] == (byte)' ' || bytes[length - 1] == 0)) length--;
        Span<char> chars = stackalloc char[8];
        for (int i = 0; i < length; i++) chars[i] = (char)bytes[i];
        return new string(chars[..length]);
    }

    /// <summary>Defines or redefines an id. False (nothing changed) when the id is out of range. A symbol already held by another id moves to this id (the latest directory message wins).</summary>
    public bool TrySet(int id, ulong symbol, int roundLot)
    {
        if ((uint)id >= (uint)_symbols.Length) return false;
        if (_defined[id])
        {
            ulong old = _symbols[id];
            if (old != symbol && _bySymbol.TryGetValue(old, out int holder) && holder == id) _bySymbol.Remove(old);
        }
        else
        {
            _defined[id] = true;
            _count++;
        }
        // Each id is the value of at most one entry (its own symbol, removed above when it changes), so the index never
        // holds more than Capacity entries and never grows past its construction size: no allocation here.
        _symbols[id] = symbol;
        _roundLots[id] = roundLot;
        _bySymbol[symbol] = id;
        return true;
    }

    /// <summary>Cold path: defines an id from text (configuration, tests).</summary>
    public bool TrySet(int id, string symbol, int roundLot) => TrySet(id, EncodeSymbol(symbol), roundLot);

    /// <summary>Sets the sector id of a defined or undefined id (configuration). False when out of range.</summary>
    public bool TrySetSector(int id, int sector)
    {
        if ((uint)id >= (uint)_sectors.Length) return false;
        _sectors[id] = sector;
        return true;
    }

    /// <summary>True when the id has been defined by <see cref="TrySet(int, ulong, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDefined(int id) => (uint)id < (uint)_defined.Length && _defined[id];

    /// <summary>Encoded symbol of an id; 0 when out of range or undefined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Symbol(int id) => (uint)id < (uint)_symbols.Length ? _symbols[id] : 0;

    /// <summary>Round lot of an id (shares); 0 when out of range or undefined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int RoundLot(int id) => (uint)id < (uint)_roundLots.Length ? _roundLots[id] : 0;

    /// <summary>Sector id of an id; 0 when out of range or never set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Sector(int id) => (uint)id < (uint)_sectors.Length ? _sectors[id] : 0;

    /// <summary>Cold path: symbol text of an id, or null when undefined.</summary>
    public string? SymbolText(int id) => IsDefined(id) ? DecodeSymbol(_symbols[id]) : null;

    /// <summary>Id holding an encoded symbol.</summary>
    public bool TryFind(ulong symbol, out int id) => _bySymbol.TryGetValue(symbol, out id);

    /// <summary>Cold path: id holding a symbol given as text. False for text that cannot be a symbol.</summary>
    public bool TryFind(string symbol, out int id)
    {
        id = -1;
        if (symbol.Length > 8) return false;
        foreach (char c in symbol) if (c > 0x7E || c < 0x20) return false;
        return TryFind(EncodeSymbol(symbol), out id);
    }
}
