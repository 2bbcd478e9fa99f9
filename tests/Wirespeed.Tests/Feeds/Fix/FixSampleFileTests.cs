using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Feeds.Fix;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>
/// The real FIX samples in shared/data/fix. Two are raw SOH streams with valid framing (a FIX 4.1 session from QuickFIX's
/// Banzai/Executor, from hffix; a FIXT.1.1 / FIX 5.0 order flow); three are one-message '|' logs from jspurefix whose
/// BeginString is not a FIX version ("FIX4.4", "FIX.5.0SP2") and whose BodyLength and CheckSum do not match their bytes
/// (checked by hand: 6545 declared for 6544 body bytes, 443 for 436, 430 for 423). Those are shown rejected by the
/// strict framer with the exact reason, then decoded with the framing checks off. Expected values were read from the
/// files with a text editor.
/// </summary>
public sealed class FixSampleFileTests
{
    private sealed class Decoded
    {
        public readonly Dictionary<string, int> ByType = new();
        public readonly List<string> Failures = new();
        public readonly List<long> Seqs = new();
        public readonly List<string> Symbols = new();
        public long Garbage;
        public int Messages;
    }

    private static Decoded DecodeStream(byte[] file, int chunk)
    {
        var parser = new FixParser(FixDictionary.Default);
        var d = new Decoded();
        var buffer = new byte[1 << 16];
        int have = 0;
        for (int fed = 0; fed < file.Length || have > 0;)
        {
            int n = Math.Min(chunk, file.Length - fed);
            file.AsSpan(fed, n).CopyTo(buffer.AsSpan(have));
            fed += n;
            have += n;
            while (true)
            {
                var s = FixFramer.TryFrame(buffer.AsSpan(0, have), out var f);
                d.Garbage += f.Start;
                int drop = f.Start + (s == FixStatus.NeedMoreBytes ? 0 : f.Length);
                if (s == FixStatus.Ok)
                {
                    d.Messages++;
                    var ps = parser.Parse(buffer.AsSpan(f.Start, f.Length), out var v);
                    string type = S(v.MsgType);
                    d.ByType[type] = d.ByType.GetValueOrDefault(type) + 1;
                    if (ps != FixStatus.Ok) d.Failures.Add($"{type}: {ps} {parser.ErrorTag}");
                    Assert.Equal(FixStatus.Ok, v.TryGetInt(34, out long seq));
                    d.Seqs.Add(seq);
                    if (type == "D") { Assert.True(v.TryGet(55, out var sym)); d.Symbols.Add(S(sym)); }
                }
                else if (s != FixStatus.NeedMoreBytes) d.Failures.Add($"framing: {s}");
                buffer.AsSpan(drop, have - drop).CopyTo(buffer);
                have -= drop;
                if (s == FixStatus.NeedMoreBytes) break;
            }
            if (fed == file.Length && have > 0 && FixFramer.TryFrame(buffer.AsSpan(0, have), out _) == FixStatus.NeedMoreBytes) break;
        }
        return d;
    }

    [Theory]
    [InlineData(1 << 16)]
    [InlineData(7)]
    [InlineData(1)]
    public void The_fix41_session_decodes_whole_in_any_read_size(int chunk)
    {
        var d = DecodeStream(File.ReadAllBytes(SharedData.Path("fix/fix41-session.fix")), chunk);
        Assert.Empty(d.Failures);
        Assert.Equal(16, d.Messages);
        Assert.Equal(new Dictionary<string, int> { ["A"] = 2, ["0"] = 2, ["D"] = 3, ["8"] = 5, ["F"] = 2, ["3"] = 2 }, d.ByType);
        Assert.Equal(1, d.Garbage);                          // the file's final newline
        Assert.Equal(new[] { "MSFT", "ORCL", "SPY" }, d.Symbols);
        Assert.Equal(new long[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 5, 7, 6, 8, 7, 9 }, d.Seqs.ToArray());
    }

    [Fact]
    public void The_fix41_fills_and_rejects_read_as_typed_values()
    {
        var file = File.ReadAllBytes(SharedData.Path("fix/fix41-session.fix"));
        var parser = new FixParser(FixDictionary.Default);
        var fills = new List<(string Sym, long Px, long Qty)>();
        var rejects = new List<(long RefSeq, string Text)>();
        for (var rest = file.AsSpan(); FixFramer.TryFrame(rest, out var f) == FixStatus.Ok; rest = rest.Slice(f.Start + f.Length))
        {
            Assert.Equal(FixVersion.Fix41, f.Version);
            Assert.Equal(FixStatus.Ok, parser.Parse(rest.Slice(f.Start, f.Length), out var v));
            Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(52, out long sent));
            Assert.Equal(new DateTimeOffset(2012, 11, 5, 23, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), sent / 1_000_000_000 / 3600 * 3600);
            if (S(v.MsgType) == "8" && v.TryGet(39, out var st) && S(st) == "2")
            {
                Assert.True(v.TryGet(55, out var sym));
                Assert.Equal(FixStatus.Ok, v.TryGetFixed(31, 4, out long px));
                Assert.Equal(FixStatus.Ok, v.TryGetInt(32, out long qty));
                fills.Add((S(sym), px, qty));
            }
            if (S(v.MsgType) == "3")
            {
                Assert.Equal(FixStatus.Ok, v.TryGetInt(45, out long refSeq));
                Assert.True(v.TryGet(58, out var text));
                rejects.Add((refSeq, S(text)));
            }
        }
        Assert.Equal(new[] { ("MSFT", 123_000L, 10_000L), ("ORCL", 123_000L, 10_000L) }, fills.ToArray());
        Assert.Equal(new[] { (6L, "Unsupported message type"), (7L, "Unsupported message type") }, rejects.ToArray());
    }

    [Theory]
    [InlineData(1 << 16)]
    [InlineData(13)]
    public void The_fixt11_order_flow_decodes_whole(int chunk)
    {
        var d = DecodeStream(File.ReadAllBytes(SharedData.Path("fix/fixt11-fix50-orders.fix")), chunk);
        Assert.Empty(d.Failures);
        Assert.Equal(65, d.Messages);
        Assert.Equal(new Dictionary<string, int> { ["A"] = 16, ["0"] = 18, ["D"] = 15, ["5"] = 14, ["1"] = 1, ["2"] = 1 }, d.ByType);
        Assert.Equal(0, d.Garbage);
        Assert.Equal(65, d.Seqs.Count);
        for (int i = 0; i < 65; i++) Assert.Equal(i + 1, d.Seqs[i]);   // one session, seq 1..65 without a gap
        Assert.Equal(new[] { "9955", "2346", "7788" }, d.Symbols.GetRange(0, 3).ToArray());
    }

    [Fact]
    public void The_fixt11_orders_carry_their_fields()
    {
        var file = File.ReadAllBytes(SharedData.Path("fix/fixt11-fix50-orders.fix"));
        var parser = new FixParser(FixDictionary.Default);
        int orders = 0;
        for (var rest = file.AsSpan(); FixFramer.TryFrame(rest, out var f) == FixStatus.Ok; rest = rest.Slice(f.Start + f.Length))
        {
            Assert.Equal(FixVersion.Fixt11, f.Version);
            Assert.Equal(FixStatus.Ok, parser.Parse(rest.Slice(f.Start, f.Length), out var v));
            switch (S(v.MsgType))
            {
                case "A":
                    Assert.Equal(FixStatus.Ok, v.TryGetInt(1137, out long applVer));
                    Assert.Equal(7, applVer);                                          // DefaultApplVerID 7 = FIX 5.0
                    Assert.Equal(FixStatus.Ok, v.TryGetInt(108, out long hb));
                    Assert.Equal(60, hb);
                    break;
                case "D":
                    orders++;
                    Assert.Equal(FixStatus.Ok, v.TryGetFixed(44, 4, out long px));
                    Assert.Equal(13_800, px);
                    Assert.True(v.TryGet(107, out var desc));
                    Assert.Equal("GEZ8", S(desc));
                    Assert.True(v.TryGet(167, out var secType));
                    Assert.Equal("FUT", S(secType));
                    Assert.Equal(FixStatus.Ok, v.TryGetChar(40, out byte ordType));
                    Assert.Equal((byte)'2', ordType);
                    Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(60, out long transact));
                    Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(52, out long sending));
                    Assert.InRange(transact - sending, 8 * 3600 * 1_000_000_000L - 1_000_000_000, 8 * 3600 * 1_000_000_000L); // TransactTime stamped in UTC+8, sent ms later
                    if (orders == 1)
                    {
                        Assert.True(v.TryGet(11, out var clOrdId));
                        Assert.Equal("25ecf178-55e3-4914-90d6-53db38ff46c5", S(clOrdId));
                        Assert.True(v.TryGet(1, out var account));
                        Assert.Equal("C1000003", S(account));
                    }
                    break;
                case "2":
                    Assert.Equal(FixStatus.Ok, v.TryGetInt(7, out long begin));
                    Assert.Equal(48, begin);
                    Assert.Equal(FixStatus.Ok, v.TryGetInt(16, out long end));
                    Assert.Equal(0, end);                                              // 0 = infinity
                    break;
            }
        }
        Assert.Equal(15, orders);
    }

    /// <summary>A jspurefix '|' log line as SOH bytes, without the line's newline.</summary>
    private static byte[] LogLine(string file)
    {
        var text = File.ReadAllBytes(SharedData.Path("fix/" + file));
        int end = text.Length;
        while (end > 0 && (text[end - 1] == (byte)'\n' || text[end - 1] == (byte)'\r')) end--;
        var m = text.AsSpan(0, end).ToArray();
        for (int i = 0; i < m.Length; i++) if (m[i] == (byte)'|') m[i] = FixFramer.Soh;
        return m;
    }

    private static readonly FixParserOptions s_logOptions = new() { Checks = FixFramingChecks.None, UndefinedTags = FixUndefinedTagPolicy.Keep };

    [Theory]
    [InlineData("FIX50SP2_md-data-inc-snapshot_35X.txt")]
    [InlineData("FIX50SP2_md-data-snapshot_35W.txt")]
    [InlineData("FIX44_execution-report_646fields.txt")]
    public void The_jspurefix_logs_fail_strict_framing_with_the_exact_reason(string file)
    {
        var m = LogLine(file);
        Assert.Equal(FixStatus.BadBeginString, FixFramer.TryFrame(m, out _));
        // The declared lengths run past the bytes: a stream waits for more, a whole message is a bad length.
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame(m, out _, FixFramingChecks.BodyLength | FixFramingChecks.CheckSum));
        Assert.Equal(FixStatus.BadBodyLength, FixFramer.Validate(m, FixFramingChecks.BodyLength | FixFramingChecks.CheckSum, out _));
        Assert.Equal(FixStatus.BadCheckSum, FixFramer.TryFrame(m, out _, FixFramingChecks.CheckSum));
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(m, out var f, FixFramingChecks.None));
        Assert.Equal(m.Length, f.Length);
        Assert.Equal(FixVersion.Unknown, f.Version);
    }

    [Fact]
    public void The_fix50sp2_incremental_refresh_has_three_entries_with_their_prices()
    {
        var parser = new FixParser(FixDictionary.Default, s_logOptions);
        Assert.Equal(FixStatus.Ok, parser.Parse(LogLine("FIX50SP2_md-data-inc-snapshot_35X.txt"), out var v));
        Assert.Equal("X", S(v.MsgType));
        Assert.Equal(FixStatus.Ok, v.TryGetInt(34, out long seq));
        Assert.Equal(23773, seq);
        Assert.True(v.TryGet(262, out var req));
        Assert.Equal("EGPINR=TDS", S(req));
        Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(122, out long orig));
        Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(52, out long sent));
        Assert.Equal(new TimeSpan(1, 10, 51, 26, 303).Ticks * 100, sent - orig);   // 20231031-21:10:13.470 − 20231030-10:18:47.167
        var e = v.Group(268);
        Assert.Equal(3, e.Count);
        byte[] types = { (byte)'0', (byte)'1', (byte)'H' };
        long[] prices = { 2_686_142, 2_706_302, 2_696_222 };
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(FixStatus.Ok, e[i].TryGetChar(279, out byte action));
            Assert.Equal((byte)'1', action);                                            // change
            Assert.Equal(FixStatus.Ok, e[i].TryGetChar(269, out byte type));
            Assert.Equal(types[i], type);
            Assert.Equal(FixStatus.Ok, e[i].TryGetFixed(270, 6, out long px));
            Assert.Equal(prices[i], px);
            Assert.Equal(FixStatus.Ok, e[i].TryGetInt(278, out long id));
            Assert.Equal(17828 + i, id);
            Assert.True(e[i].TryGet(48, out var secId));
            Assert.Equal("EGPINR=TDS", S(secId));
            Assert.True(e[i].TryGet(273, out var time));
            Assert.Equal(FixStatus.Ok, FixValue.TryUtcTimeOnly(time, out long tod));
            Assert.Equal(((10 * 60 + 18) * 60 + 47) * 1_000_000_000L + 166_000_000, tod);
        }
        // The strict dictionary accepts it too: every tag is defined for X; only the framing is off.
        var strict = new FixParser(FixDictionary.Default, new FixParserOptions { Checks = FixFramingChecks.None });
        Assert.Equal(FixStatus.Ok, strict.Parse(LogLine("FIX50SP2_md-data-inc-snapshot_35X.txt"), out _));
    }

    [Fact]
    public void The_fix50sp2_snapshot_has_three_entries_and_a_custom_tag()
    {
        var m = LogLine("FIX50SP2_md-data-snapshot_35W.txt");
        var strict = new FixParser(FixDictionary.Default, new FixParserOptions { Checks = FixFramingChecks.None });
        Assert.Equal(FixStatus.TagNotDefinedForMessageType, strict.Parse(m, out _));
        Assert.Equal(20460, strict.ErrorTag);                                           // a venue's user-defined tag
        var parser = new FixParser(FixDictionary.Default, s_logOptions);
        Assert.Equal(FixStatus.Ok, parser.Parse(m, out var v));
        Assert.Equal("W", S(v.MsgType));
        Assert.False(v.Has(55));
        Assert.True(v.TryGet(48, out var secId));
        Assert.Equal("EURJPY10Y=TDS", S(secId));
        Assert.True(v.TryGet(20460, out var custom));
        Assert.Equal("EUZZ02X3F8ZYPHZZZZ", S(custom));
        var e = v.Group(268);
        Assert.Equal(3, e.Count);
        long[] prices = { -36_570_500, -35_903_500, -36_237_000 };
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(FixStatus.Ok, e[i].TryGetFixed(270, 4, out long px));
            Assert.Equal(prices[i], px);
        }
        Assert.Equal(FixStatus.Ok, e[0].TryGetInt(271, out long size));
        Assert.Equal(0, size);
        Assert.False(e[2].Has(271));
        Assert.Equal(FixStatus.Ok, e[2].TryGetChar(269, out byte t));
        Assert.Equal((byte)'H', t);
    }

    [Fact]
    public void The_646_field_fix44_execution_report_decodes_with_its_groups()
    {
        var parser = new FixParser(FixDictionary.Default, s_logOptions);
        var m = LogLine("FIX44_execution-report_646fields.txt");
        Assert.Equal("Ok 0", parser.Parse(m, out var v) + " " + parser.ErrorTag);
        Assert.Equal(646, v.FieldCount);
        Assert.Equal("8", S(v.MsgType));
        Assert.True(v.TryGet(37, out var orderId));
        Assert.Equal("ipsum", S(orderId));
        var parties = v.Group(453);
        Assert.Equal(3, parties.Count);
        Assert.True(parties[1].TryGet(448, out var party));
        Assert.Equal("iaculis", S(party));
        var subs = parties[1].Group(802);
        Assert.Equal(3, subs.Count);
        Assert.True(subs[2].TryGet(523, out var sub));
        Assert.Equal("eget", S(sub));
        Assert.Equal(FixStatus.Ok, subs[2].TryGetInt(803, out long subType));
        Assert.Equal(18, subType);
        Assert.Equal(3, v.Group(382).Count);
        Assert.Equal(2, v.Group(454).Count);
        var fees = v.Group(136);
        Assert.Equal(2, fees.Count);
        Assert.Equal(FixStatus.Ok, fees[1].TryGetFixed(137, 2, out long fee));
        Assert.Equal(9_318_500, fee);
        Assert.Equal(FixStatus.RequiredTagMissing, v.TryGetTimestamp(438, out _));      // 438 lives in the contra-broker entries
        Assert.Equal(FixStatus.Ok, v.Group(382)[2].TryGetTimestamp(438, out long contraTime));
        Assert.Equal(new DateTimeOffset(2018, 5, 28, 14, 38, 3, 972, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000, contraTime);
        Assert.Equal(FixStatus.Ok, v.TryGetInt(38, out long qty));
        Assert.Equal(50717, qty);
        Assert.Equal(FixStatus.Ok, v.TryGetChar(39, out byte ordStatus));
        Assert.Equal((byte)'9', ordStatus);
        Assert.True(v.TryGet(10, out var ck));
        Assert.Equal("224", S(ck));
    }
}
