using System;
using Wirespeed.Core.Books;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

public class InstrumentTableTests
{
    [Fact]
    public void Symbols_encode_as_space_padded_little_endian_bytes()
    {
        // ITCH 5.0 Stock Directory: Stock is Alpha(8), left justified, space padded.
        ulong aapl = InstrumentTable.EncodeSymbol("AAPL");
        Assert.Equal(0x20202020_4C504141UL, aapl);
        Assert.Equal("AAPL", InstrumentTable.DecodeSymbol(aapl));
        Assert.Equal("ABCDEFGH", InstrumentTable.DecodeSymbol(InstrumentTable.EncodeSymbol("ABCDEFGH")));
        Assert.Equal("", InstrumentTable.DecodeSymbol(0));
        Assert.Throws<ArgumentException>(() => InstrumentTable.EncodeSymbol("TOOLONGXX"));
        Assert.Throws<ArgumentException>(() => InstrumentTable.EncodeSymbol("A\u00e9"));
        Assert.Throws<ArgumentException>(() => InstrumentTable.EncodeSymbol("A\n"));
    }

    [Fact]
    public void Ids_map_to_symbol_round_lot_and_sector()
    {
        var t = new InstrumentTable(16);
        Assert.Equal(16, t.Capacity);
        Assert.True(t.TrySet(3, "MSFT", 100));
        Assert.True(t.TrySetSector(3, 45));
        Assert.True(t.IsDefined(3));
        Assert.False(t.IsDefined(4));
        Assert.Equal(InstrumentTable.EncodeSymbol("MSFT"), t.Symbol(3));
        Assert.Equal(100, t.RoundLot(3));
        Assert.Equal(45, t.Sector(3));
        Assert.Equal("MSFT", t.SymbolText(3));
        Assert.Null(t.SymbolText(4));
        Assert.Equal(1, t.Count);
        Assert.True(t.TryFind("MSFT", out int id));
        Assert.Equal(3, id);
        Assert.True(t.TryFind(InstrumentTable.EncodeSymbol("MSFT"), out id));
        Assert.Equal(3, id);
        Assert.False(t.TryFind("IBM", out _));
        Assert.False(t.TryFind("WAYTOOLONG", out _));
        Assert.False(t.TryFind("\u00e9", out _));
    }

    [Fact]
    public void Out_of_range_ids_are_refused_and_read_as_zero()
    {
        var t = new InstrumentTable(2);
        Assert.False(t.TrySet(2, "X", 1));
        Assert.False(t.TrySet(-1, "X", 1));
        Assert.False(t.TrySetSector(2, 1));
        Assert.False(t.IsDefined(-1));
        Assert.Equal(0UL, t.Symbol(5));
        Assert.Equal(0, t.RoundLot(5));
        Assert.Equal(0, t.Sector(-5));
        Assert.Throws<ArgumentException>(() => new InstrumentTable(0));
    }

    [Fact]
    public void Redefining_an_id_moves_its_symbol()
    {
        var t = new InstrumentTable(4);
        t.TrySet(1, "OLD", 100);
        t.TrySet(1, "NEW", 50);
        Assert.False(t.TryFind("OLD", out _));
        Assert.True(t.TryFind("NEW", out int id));
        Assert.Equal(1, id);
        Assert.Equal(50, t.RoundLot(1));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void A_symbol_taken_by_another_id_moves_to_the_latest()
    {
        var t = new InstrumentTable(4);
        t.TrySet(0, "DUP", 100);
        t.TrySet(1, "DUP", 100);
        Assert.True(t.TryFind("DUP", out int id));
        Assert.Equal(1, id);
        // Redefining id 0 must not remove id 1's mapping.
        t.TrySet(0, "OTHER", 100);
        Assert.True(t.TryFind("DUP", out id));
        Assert.Equal(1, id);
    }

    [Fact]
    public void Filling_the_table_never_allocates()
    {
        var t = new InstrumentTable(1000);
        var symbols = new ulong[1000];
        for (int i = 0; i < symbols.Length; i++) symbols[i] = InstrumentTable.EncodeSymbol("S" + i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < symbols.Length; i++) t.TrySet(i, symbols[i], 100);
        for (int i = 0; i < symbols.Length; i++) t.TrySet(i, symbols[(i + 1) % symbols.Length], 100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1000, t.Count);
    }
}
