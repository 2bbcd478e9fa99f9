using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Xunit;

namespace Wirespeed.Tests.Feeds.Sim;

/// <summary>
/// The tests' own bookkeeping of a simulated ITCH stream, read at the spec offsets (independent of the decoder in
/// feeds/Itch): live orders, books, executions, halts. Every message is checked as it is applied; a violation fails
/// the test with the message index. Also samples per-instrument book mids and traded volume into time buckets.
/// </summary>
internal sealed class ItchTape
{
    private readonly struct Order(int locate, byte side, uint price, uint shares)
    {
        public readonly int Locate = locate;
        public readonly byte Side = side;
        public readonly uint Price = price;
        public readonly uint Shares = shares;
        public Order WithShares(uint s) => new(Locate, Side, Price, s);
    }

    private readonly int _n;
    private readonly uint _roundLot;
    private readonly Dictionary<ulong, Order> _orders = new();
    private readonly HashSet<ulong>[] _live;
    private readonly ulong[] _stock;
    private long _lastTs = -1;
    private readonly long _bucketStart;
    private readonly long _bucketNs;
    private readonly int _buckets;

    public long Messages;
    public readonly Dictionary<char, long> Counts = new();
    /// <summary>Last book mid per instrument and bucket (NaN where no two-sided book was seen yet).</summary>
    public readonly double[,] Mid;
    /// <summary>Last quoted spread (ask − bid, Price(4)) per instrument and bucket (NaN where none).</summary>
    public readonly double[,] Spread;
    /// <summary>Executed shares (E, C, P) per instrument and bucket.</summary>
    public readonly long[,] Volume;
    /// <summary>Messages per bucket.</summary>
    public readonly long[] MessagesPerBucket;
    public readonly List<(long Ts, int Locate, byte State)> TradingActions = new();
    public readonly List<(long Ts, int Locate)> Collars = new();
    public readonly List<(int Locate, byte CrossType)> Crosses = new();
    public readonly List<(int Locate, byte CrossType)> Imbalances = new();
    public readonly List<byte> SystemEvents = new();

    public ItchTape(int instruments, uint roundLot, long bucketStartNs, long bucketNs, int buckets)
    {
        _n = instruments;
        _roundLot = roundLot;
        _live = new HashSet<ulong>[instruments + 1];
        for (int i = 1; i <= instruments; i++) _live[i] = new HashSet<ulong>();
        _stock = new ulong[instruments + 1];
        _bucketStart = bucketStartNs;
        _bucketNs = bucketNs;
        _buckets = buckets;
        Mid = new double[instruments + 1, buckets];
        Volume = new long[instruments + 1, buckets];
        Spread = new double[instruments + 1, buckets];
        MessagesPerBucket = new long[buckets];
        for (int i = 0; i <= instruments; i++)
            for (int b = 0; b < buckets; b++) Mid[i, b] = Spread[i, b] = double.NaN;
    }

    private static ushort U16(ReadOnlySpan<byte> b, int o) => BinaryPrimitives.ReadUInt16BigEndian(b.Slice(o));
    private static uint U32(ReadOnlySpan<byte> b, int o) => BinaryPrimitives.ReadUInt32BigEndian(b.Slice(o));
    private static ulong U64(ReadOnlySpan<byte> b, int o) => BinaryPrimitives.ReadUInt64BigEndian(b.Slice(o));

    private void Fail(string what) => Assert.Fail($"message #{Messages}: {what}");

    private void CheckPrice(uint price)
    {
        if (price == 0 || price % 100 != 0) Fail($"price {price} is not on the $0.01 grid");
    }

    private int Bucket(long ts)
    {
        long b = (ts - _bucketStart) / _bucketNs;
        return b < 0 || b >= _buckets ? -1 : (int)b;
    }

    public (uint Bid, uint Ask) Top(int locate)
    {
        uint bid = 0, ask = uint.MaxValue;
        foreach (ulong r in _live[locate])
        {
            var o = _orders[r];
            if (o.Side == (byte)'B') { if (o.Price > bid) bid = o.Price; }
            else if (o.Price < ask) ask = o.Price;
        }
        return (bid, ask);
    }

    public int LiveOrders => _orders.Count;

    /// <summary>Live orders on one instrument.</summary>
    public int LiveCount(int locate) => _live[locate].Count;

    public void Apply(ReadOnlySpan<byte> m)
    {
        char type = (char)m[0];
        Counts[type] = Counts.TryGetValue(type, out long c) ? c + 1 : 1;
        int locate = U16(m, 1);
        long ts = (long)U16(m, 5) << 32 | U32(m, 7);
        if (ts < _lastTs) Fail($"timestamp went back from {_lastTs} to {ts}");
        _lastTs = ts;
        if (locate > _n) Fail($"locate {locate} beyond {_n}");
        int bucket = Bucket(ts);
        if (bucket >= 0) MessagesPerBucket[bucket]++;
        bool bookChanged = false;
        switch (type)
        {
            case 'S': SystemEvents.Add(m[11]); break;
            case 'R':
                _stock[locate] = U64(m, 11);
                if (U32(m, 21) != _roundLot) Fail("round lot in the directory differs");
                break;
            case 'H': TradingActions.Add((ts, locate, m[19])); break;
            case 'J': Collars.Add((ts, locate)); CheckPrice(U32(m, 19)); break;
            case 'I': Imbalances.Add((locate, m[48])); break;
            case 'Q': Crosses.Add((locate, m[39])); CheckPrice(U32(m, 27)); break;
            case 'A':
            case 'F':
            {
                ulong r = U64(m, 11);
                byte side = m[19];
                uint shares = U32(m, 20), price = U32(m, 32);
                if (_stock[locate] == 0 || U64(m, 24) != _stock[locate]) Fail("add for a stock not in the directory");
                if (side != (byte)'B' && side != (byte)'S') Fail($"side {side}");
                if (shares == 0 || shares % _roundLot != 0) Fail($"shares {shares} not in round lots");
                CheckPrice(price);
                if (!_orders.TryAdd(r, new Order(locate, side, price, shares))) Fail($"order {r} added twice");
                _live[locate].Add(r);
                bookChanged = true;
                break;
            }
            case 'E':
            case 'C':
            {
                ulong r = U64(m, 11);
                uint executed = U32(m, 19);
                if (!_orders.TryGetValue(r, out var o)) { Fail($"execution of unknown order {r}"); return; }
                if (o.Locate != locate) Fail("execution on another locate than the order's");
                if (executed == 0 || executed > o.Shares) Fail($"executed {executed} of {o.Shares}");
                if (type == 'C') CheckPrice(U32(m, 32));
                if (bucket >= 0) Volume[locate, bucket] += executed;
                Reduce(r, o, executed);
                bookChanged = true;
                break;
            }
            case 'X':
            {
                ulong r = U64(m, 11);
                uint cancelled = U32(m, 19);
                if (!_orders.TryGetValue(r, out var o)) { Fail($"cancel of unknown order {r}"); return; }
                if (o.Locate != locate) Fail("cancel on another locate");
                if (cancelled == 0 || cancelled >= o.Shares) Fail($"partial cancel of {cancelled} from {o.Shares}");
                Reduce(r, o, cancelled);
                bookChanged = true;
                break;
            }
            case 'D':
            {
                ulong r = U64(m, 11);
                if (!_orders.TryGetValue(r, out var o)) { Fail($"delete of unknown order {r}"); return; }
                if (o.Locate != locate) Fail("delete on another locate");
                Reduce(r, o, o.Shares);
                bookChanged = true;
                break;
            }
            case 'U':
            {
                ulong original = U64(m, 11), fresh = U64(m, 19);
                uint shares = U32(m, 27), price = U32(m, 31);
                if (!_orders.TryGetValue(original, out var o)) { Fail($"replace of unknown order {original}"); return; }
                if (o.Locate != locate) Fail("replace on another locate");
                if (shares == 0 || shares % _roundLot != 0) Fail($"replace shares {shares}");
                CheckPrice(price);
                Reduce(original, o, o.Shares);
                if (!_orders.TryAdd(fresh, new Order(locate, o.Side, price, shares))) Fail($"replace reuses live reference {fresh}");
                _live[locate].Add(fresh);
                bookChanged = true;
                break;
            }
            case 'P':
            {
                uint shares = U32(m, 20);
                if (shares == 0) Fail("trade of zero shares");
                CheckPrice(U32(m, 32));
                if (bucket >= 0) Volume[locate, bucket] += shares;
                break;
            }
            case 'V': case 'W': break;
            default: Fail($"unexpected type '{type}'"); break;
        }
        if (bookChanged)
        {
            var (bid, ask) = Top(locate);
            if (bid != 0 && ask != uint.MaxValue)
            {
                if (bid >= ask) Fail($"crossed book on locate {locate}: bid {bid} ask {ask}");
                if (bucket >= 0)
                {
                    Mid[locate, bucket] = (bid + (double)ask) / 2;
                    Spread[locate, bucket] = ask - (double)bid;
                }
            }
        }
        Messages++;
    }

    private void Reduce(ulong r, Order o, uint shares)
    {
        if (shares == o.Shares)
        {
            _orders.Remove(r);
            _live[o.Locate].Remove(r);
        }
        else _orders[r] = o.WithShares(o.Shares - shares);
    }

    /// <summary>Carries each instrument's last mid forward into buckets where it did not change.</summary>
    public void FillForward()
    {
        for (int i = 1; i <= _n; i++)
            for (int b = 1; b < _buckets; b++)
            {
                if (double.IsNaN(Mid[i, b])) Mid[i, b] = Mid[i, b - 1];
                if (double.IsNaN(Spread[i, b])) Spread[i, b] = Spread[i, b - 1];
            }
    }

    /// <summary>Splits a MoldUDP64 packet into messages and applies each.</summary>
    public void ApplyPacket(ReadOnlySpan<byte> packet)
    {
        ushort count = U16(packet, 18);
        if (count == 0 || count == 0xFFFF) return;
        int o = 20;
        for (int k = 0; k < count; k++)
        {
            int len = U16(packet, o);
            Apply(packet.Slice(o + 2, len));
            o += 2 + len;
        }
        Assert.Equal(packet.Length, o);
    }
}
