using System;
using System.Numerics;
using System.Text;

namespace Wirespeed.Feeds.Fix.Application;

/// <summary>
/// Instrument identity on FIX: the Symbol (55) or SecurityID (48) a counterparty uses, to and from Wirespeed's dense
/// instrument id. Filled at start-up from configuration (the only allocation); looked up on the session thread by the
/// value's bytes (open addressing, FNV-1a), never materialising a string.
/// </summary>
public sealed class FixSymbolTable
{
    private readonly byte[]?[] _byId;
    private readonly byte[]?[] _keys;
    private readonly int[] _ids;
    private readonly int _mask;

    /// <param name="maxInstruments">Ids 0..maxInstruments-1.</param>
    public FixSymbolTable(int maxInstruments)
    {
        if (maxInstruments is < 1 or > 1 << 20) throw new ArgumentException($"maxInstruments={maxInstruments} must be 1..1048576.", nameof(maxInstruments));
        _byId = new byte[]?[maxInstruments];
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)maxInstruments * 2);
        _keys = new byte[]?[slots];
        _ids = new int[slots];
        _mask = slots - 1;
    }

    public int MaxInstruments => _byId.Length;

    /// <summary>Binds <paramref name="symbol"/> to <paramref name="instrument"/> (start-up). Throws naming the problem.</summary>
    public void Add(int instrument, string symbol)
    {
        if ((uint)instrument >= (uint)_byId.Length) throw new ArgumentException($"instrument {instrument} is outside 0..{_byId.Length - 1}.", nameof(instrument));
        if (string.IsNullOrEmpty(symbol) || symbol.IndexOf('\u0001') >= 0) throw new ArgumentException($"symbol of instrument {instrument} must be non-empty text without SOH.", nameof(symbol));
        byte[] key = Encoding.ASCII.GetBytes(symbol);
        if (Find(key) >= 0) throw new ArgumentException($"symbol '{symbol}' is bound twice.", nameof(symbol));
        if (_byId[instrument] is not null) throw new ArgumentException($"instrument {instrument} already has a symbol.", nameof(instrument));
        int s = Hash(key);
        while (_keys[s] is not null) s = (s + 1) & _mask;
        _keys[s] = key;
        _ids[s] = instrument;
        _byId[instrument] = key;
    }

    /// <summary>The instrument of <paramref name="symbol"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> symbol)
    {
        if (symbol.IsEmpty) return -1;
        for (int s = Hash(symbol); ; s = (s + 1) & _mask)
        {
            byte[]? key = _keys[s];
            if (key is null) return -1;
            if (symbol.SequenceEqual(key)) return _ids[s];
        }
    }

    /// <summary>The symbol bytes of <paramref name="instrument"/>; empty when it has none.</summary>
    public ReadOnlySpan<byte> Symbol(int instrument) => (uint)instrument < (uint)_byId.Length ? _byId[instrument] : default;

    /// <summary>The array behind <see cref="Symbol"/> (for message structs, which cannot hold spans); null when none.</summary>
    internal byte[]? SymbolArray(int instrument) => (uint)instrument < (uint)_byId.Length ? _byId[instrument] : null;

    private int Hash(ReadOnlySpan<byte> key)
    {
        uint h = 2166136261;
        foreach (byte b in key) h = (h ^ b) * 16777619;
        return (int)(h & (uint)_mask);
    }
}
