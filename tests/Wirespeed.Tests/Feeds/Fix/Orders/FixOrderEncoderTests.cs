using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;
using Wirespeed.Feeds.Fix.Orders;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix.Orders;

/// <summary>
/// D, F and G byte for byte. The expected messages are written out by hand from FIX 4.4 (field order: header, then the
/// body fields as the encoder documents them) and framed by <see cref="FixTestMessages.Msg"/>, which computes BodyLength
/// and CheckSum on its own, not with <see cref="FixWriter"/>.
/// </summary>
public sealed class FixOrderEncoderTests
{
    private const string Header = "49=WIRESPEED|56=MATCHER|34=7|52=20261207-23:30:00.123|";
    private const long Transact = 1_796_686_200_456_000_000;   // 20261207-23:30:00.456
    private static readonly byte[] Prefix = "WS"u8.ToArray();
    private static readonly byte[] Symbol = "MSFT"u8.ToArray();
    private static readonly FixApplicationEncoder Encoder = new("FIX.4.4", "WIRESPEED", "MATCHER");

    private static byte[] Encode<T>(T message) where T : struct, IFixApplicationMessage
    {
        var buffer = new byte[512];
        Assert.Equal(FixStatus.Ok, Encoder.Encode(buffer, ref message, 7, LoopbackLink.SendingTimeNs, out int length));
        return buffer.AsSpan(0, length).ToArray();
    }

    private static NewOrderSingle Nos() => new()
    {
        ClOrdIdPrefix = Prefix, ClOrdId = ClientOrderId.Make(3, 5), Account = "ACC1"u8.ToArray(), Symbol = Symbol, Side = Side.Buy,
        Quantity = 200, Price = 1_234_500, Type = OrderType.Limit, TimeInForce = TimeInForce.ImmediateOrCancel, TransactTimeNs = Transact,
    };

    [Fact]
    public void NewOrderSingle_golden_bytes()
    {
        ulong id = 3UL << 20 | 5;   // 3145733
        var expected = Msg($"35=D|{Header}11=WS{id}|1=ACC1|55=MSFT|54=1|60=20261207-23:30:00.456|38=200|40=2|44=123.45|59=3|");
        Assert.Equal(Text(expected), Text(Encode(Nos())));
        Assert.Equal(expected, Encode(Nos()));
    }

    [Fact]
    public void A_market_sell_without_account_has_no_price()
    {
        var m = Nos();
        m.Account = null;
        m.Side = Side.Sell;
        m.Type = OrderType.Market;
        m.TimeInForce = TimeInForce.Day;
        var expected = Msg($"35=D|{Header}11=WS3145733|55=MSFT|54=2|60=20261207-23:30:00.456|38=200|40=1|59=0|");
        Assert.Equal(Text(expected), Text(Encode(m)));
    }

    [Fact]
    public void OrderCancelRequest_golden_bytes()
    {
        var m = new OrderCancelRequest { ClOrdIdPrefix = Prefix, OrigClOrdId = 11, ClOrdId = 12, Symbol = Symbol, Side = Side.Sell, Quantity = 300, TransactTimeNs = Transact };
        var expected = Msg($"35=F|{Header}41=WS11|11=WS12|55=MSFT|54=2|60=20261207-23:30:00.456|38=300|");
        Assert.Equal(Text(expected), Text(Encode(m)));
    }

    [Fact]
    public void OrderCancelReplaceRequest_golden_bytes()
    {
        var m = new OrderCancelReplaceRequest
        {
            ClOrdIdPrefix = Prefix, OrigClOrdId = 11, ClOrdId = 13, Symbol = Symbol, Side = Side.Buy, Quantity = 250, Price = 1_230_000,
            Type = OrderType.Limit, TimeInForce = TimeInForce.GoodTillCancel, TransactTimeNs = Transact,
        };
        var expected = Msg($"35=G|{Header}41=WS11|11=WS13|55=MSFT|54=1|60=20261207-23:30:00.456|38=250|40=2|44=123|59=1|");
        Assert.Equal(Text(expected), Text(Encode(m)));
        m.Type = OrderType.Market;
        Assert.DoesNotContain("|44=", Text(Encode(m)));
    }

    [Fact]
    public void Every_encoded_request_parses_against_the_dictionary()
    {
        var parser = new FixParser(FixDictionary.Default);
        Assert.Equal(FixStatus.Ok, parser.Parse(Encode(Nos()), out var v));
        Assert.Equal(FixStatus.Ok, v.TryGetFixed(44, 4, out long px));
        Assert.Equal(1_234_500, px);
        Assert.Equal(ClientOrderId.Make(3, 5), FixClOrdId.Parse(v.TryGet(11, out var id) ? id : default, Prefix));
        Assert.Equal(FixStatus.Ok, parser.Parse(Encode(new OrderCancelRequest { ClOrdIdPrefix = Prefix, OrigClOrdId = 1, ClOrdId = 2, Symbol = Symbol, Side = Side.Buy, Quantity = 1, TransactTimeNs = Transact }), out _));
    }

    [Fact]
    public void Client_order_ids_read_back_only_with_our_prefix_and_digits()
    {
        Assert.Equal(123UL, FixClOrdId.Parse("WS123"u8, Prefix));
        Assert.Equal(0UL, FixClOrdId.Parse("XX123"u8, Prefix));
        Assert.Equal(0UL, FixClOrdId.Parse("WS"u8, Prefix));
        Assert.Equal(0UL, FixClOrdId.Parse("WS12a"u8, Prefix));
        Assert.Equal(0UL, FixClOrdId.Parse("WS99999999999999999999"u8, Prefix));   // above 2^64
        Assert.Equal(0UL, FixClOrdId.Parse("WS123456789012345678901"u8, Prefix));  // 21 digits
        Assert.Equal(ulong.MaxValue, FixClOrdId.Parse("WS18446744073709551615"u8, Prefix));
    }

    [Fact]
    public void Encoding_allocates_nothing()
    {
        var buffer = new byte[512];
        var m = Nos();
        var c = new OrderCancelRequest { ClOrdIdPrefix = Prefix, OrigClOrdId = 11, ClOrdId = 12, Symbol = Symbol, Side = Side.Sell, Quantity = 300, TransactTimeNs = Transact };
        var g = new OrderCancelReplaceRequest { ClOrdIdPrefix = Prefix, OrigClOrdId = 11, ClOrdId = 13, Symbol = Symbol, Side = Side.Buy, Quantity = 250, Price = 1, Type = OrderType.Limit, TimeInForce = TimeInForce.Day, TransactTimeNs = Transact };
        for (int i = 0; i < 100; i++) Encoder.Encode(buffer, ref m, i, LoopbackLink.SendingTimeNs, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            m.ClOrdId = (ulong)i;
            Encoder.Encode(buffer, ref m, i, LoopbackLink.SendingTimeNs, out _);
            Encoder.Encode(buffer, ref c, i, LoopbackLink.SendingTimeNs, out _);
            Encoder.Encode(buffer, ref g, i, LoopbackLink.SendingTimeNs, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_gateway_refuses_bad_prefixes_and_instruments_without_a_symbol()
    {
        var symbols = new FixSymbolTable(4);
        var link = new LoopbackLink();
        Assert.Throws<ArgumentException>(() => new FixOrderGateway<LoopbackSession>(new LoopbackSession(link), symbols, "WS1"));
        Assert.Throws<ArgumentException>(() => new FixOrderGateway<LoopbackSession>(new LoopbackSession(link), symbols, new string('W', 17)));
        Assert.Throws<ArgumentNullException>(() => new FixOrderGateway<LoopbackSession>(new LoopbackSession(link), null!, "WS"));
        var gw = new FixOrderGateway<LoopbackSession>(new LoopbackSession(link), symbols, "WS") { FixedClockNs = Transact };
        var order = new OrderRecord { Instrument = 2, Side = Side.Buy, Quantity = 1, Price = 1, Type = OrderType.Limit, TimeInForce = TimeInForce.Day };
        Assert.Equal(0, gw.SendNew(order));
        Assert.Equal(0, gw.SendCancel(order, 9));
        Assert.Equal(0, gw.SendReplace(order, 9, 1, 1));
        Assert.Empty(link.Sent);
    }

    /// <summary>Wireshark's FIX dissector reads the three requests as FIX with the fields we meant. The messages travel
    /// in a pcap of one TCP flow written here (Ethernet, IPv4, TCP to port 9878, which the FIX dissector claims by heuristic).</summary>
    [Fact]
    public void Tshark_dissects_the_requests_as_fix()
    {
        if (!File.Exists("/usr/bin/tshark")) Assert.Skip("tshark is not installed");
        var c = new OrderCancelRequest { ClOrdIdPrefix = Prefix, OrigClOrdId = 11, ClOrdId = 12, Symbol = Symbol, Side = Side.Sell, Quantity = 300, TransactTimeNs = Transact };
        var g = new OrderCancelReplaceRequest { ClOrdIdPrefix = Prefix, OrigClOrdId = 11, ClOrdId = 13, Symbol = Symbol, Side = Side.Buy, Quantity = 250, Price = 1_230_000, Type = OrderType.Limit, TimeInForce = TimeInForce.Day, TransactTimeNs = Transact };
        string pcap = Path.Combine(Path.GetTempPath(), $"ws-fixorders-{Environment.ProcessId}.pcap");
        try
        {
            TcpPcap.Write(pcap, Encode(Nos()), Encode(c), Encode(g));
            var psi = new ProcessStartInfo("/usr/bin/tshark", $"-r {pcap} -o tcp.analyze_sequence_numbers:FALSE -Y fix -T fields -e fix.MsgType -e fix.ClOrdID -e fix.Symbol -e fix.CheckSum")
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit(60_000);
            Assert.Equal("D\tWS3145733\tMSFT", Cut(output, 0));
            Assert.Equal("F\tWS12\tMSFT", Cut(output, 1));
            Assert.Equal("G\tWS13\tMSFT", Cut(output, 2));
        }
        finally { File.Delete(pcap); }
    }

    private static string Cut(string output, int line)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > line, $"tshark printed {lines.Length} FIX lines: {output}");
        var f = lines[line].Split('\t');
        return string.Join('\t', f[0], f[1], f[2]);
    }
}

/// <summary>Writes payloads as consecutive segments of one TCP flow into a pcap file (for dissector checks).</summary>
internal static class TcpPcap
{
    public static void Write(string path, params byte[][] payloads)
    {
        using var f = new BinaryWriter(File.Create(path));
        f.Write(0xA1B2C3D4u); f.Write((ushort)2); f.Write((ushort)4); f.Write(0); f.Write(0u); f.Write(65535u); f.Write(1u);
        uint seq = 1000;
        int t = 0;
        foreach (var payload in payloads)
        {
            var frame = new byte[14 + 20 + 20 + payload.Length];
            frame[12] = 0x08;                                        // EtherType IPv4
            var ip = frame.AsSpan(14);
            ip[0] = 0x45;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(2), (ushort)(40 + payload.Length));
            ip[8] = 64;
            ip[9] = 6;                                               // TCP
            ip[12] = 127; ip[15] = 1; ip[16] = 127; ip[19] = 1;
            ushort sum = 0;
            uint acc = 0;
            for (int i = 0; i < 20; i += 2) acc += (uint)(ip[i] << 8 | ip[i + 1]);
            while (acc > 0xFFFF) acc = (acc & 0xFFFF) + (acc >> 16);
            sum = (ushort)~acc;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), sum);
            var tcp = frame.AsSpan(34);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(2), 9878);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tcp.Slice(4), seq);
            tcp[12] = 0x50;
            tcp[13] = 0x18;                                          // PSH, ACK
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(14), 65535);
            payload.CopyTo(frame, 54);
            seq += (uint)payload.Length;
            f.Write((uint)(1_700_000_000 + t++)); f.Write(0u); f.Write((uint)frame.Length); f.Write((uint)frame.Length);
            f.Write(frame);
        }
    }
}
