using System;
using System.Buffers.Binary;
using System.IO;
using System.Text.Json;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.App.Commands;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

/// <summary>
/// A replay that could not read the whole file says why, cause by cause, and exits 1: real NASDAQ captures and the
/// artificial ITCH file from ../shared/data, each damaged one way.
/// </summary>
public sealed class ReplayCompletenessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-replay-damage").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static byte[] Capture(string name = "OrderDelete.pcap") => File.ReadAllBytes(SharedData.Path("itch/nasdaq-packets/" + name));

    private string Save(byte[] bytes, string name)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Replays <paramref name="file"/> with --json; returns the exit code, the printed report and the JSON root.</summary>
    private (int Code, string Out, JsonElement Json) Replay(string format, string file)
    {
        string json = Path.Combine(_dir, "report.json");
        var (code, output, error) = CommandRunner.Run("replay", "--format", format, file, "--json", json);
        // Nothing on stderr but the monitor's budget alerts (a replay runs the live pipeline and its budgets).
        foreach (string line in error.Split('\n', System.StringSplitOptions.RemoveEmptyEntries)) Assert.StartsWith("wirespeed alert ", line);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return (code, output, doc.RootElement.Clone());
    }

    private static void AssertIncomplete((int Code, string Out, JsonElement Json) r, string reason, string frameCounter, long count)
    {
        Assert.Equal(1, r.Code);
        Assert.Contains("INCOMPLETE: ", r.Out);
        Assert.Contains(reason, r.Out);
        Assert.False(r.Json.GetProperty("input").GetProperty("complete").GetBoolean());
        Assert.Contains(reason, r.Json.GetProperty("input").GetProperty("incomplete")[0].GetString());
        Assert.Equal(count, r.Json.GetProperty("counters").GetProperty("frames").GetProperty(frameCounter).GetInt64());
    }

    /// <summary>Offset of the first record's frame, with the file's byte order.</summary>
    private static (int Frame, bool Swapped) FirstFrame(byte[] pcap)
    {
        bool swapped = BinaryPrimitives.ReadUInt32LittleEndian(pcap) is 0xD4C3B2A1 or 0x4D3CB2A1;
        return (PcapSource.GlobalHeaderSize + PcapSource.RecordHeaderSize, swapped);
    }

    [Fact]
    public void An_undamaged_capture_is_read_whole_and_exits_0()
    {
        var r = Replay("pcap", SharedData.Path("itch/nasdaq-packets/MultipleMessages.pcap"));
        Assert.Equal(0, r.Code);
        Assert.Contains("file read whole", r.Out);
        Assert.True(r.Json.GetProperty("input").GetProperty("complete").GetBoolean());
        Assert.Equal(0, r.Json.GetProperty("input").GetProperty("incomplete").GetArrayLength());
    }

    [Fact]
    public void A_capture_cut_short_reports_its_truncated_tail()
    {
        byte[] pcap = Capture();
        var r = Replay("pcap", Save(pcap.AsSpan(0, pcap.Length - 10).ToArray(), "cut.pcap"));
        Assert.Matches(@"truncated tail: the last \d+ bytes are not a whole record", r.Out);
        AssertIncomplete(r, "truncated tail: the last", "truncated_tail_bytes", r.Json.GetProperty("counters").GetProperty("frames").GetProperty("truncated_tail_bytes").GetInt64());
        Assert.True(r.Json.GetProperty("counters").GetProperty("frames").GetProperty("truncated_tail_bytes").GetInt64() > 0);
    }

    [Fact]
    public void A_capture_of_an_unsupported_link_type_names_it()
    {
        byte[] pcap = Capture();
        var (_, swapped) = FirstFrame(pcap);
        if (swapped) BinaryPrimitives.WriteUInt32BigEndian(pcap.AsSpan(20), 113); else BinaryPrimitives.WriteUInt32LittleEndian(pcap.AsSpan(20), 113);   // Linux cooked capture
        var r = Replay("pcap", Save(pcap, "sll.pcap"));
        long records = r.Json.GetProperty("counters").GetProperty("frames").GetProperty("records").GetInt64();
        Assert.True(records > 0);
        AssertIncomplete(r, $"unsupported link type 113: {records} record(s) not decoded", "unsupported_link_type", records);
        Assert.Equal(0, r.Json.GetProperty("input").GetProperty("messages").GetInt64());
    }

    [Fact]
    public void A_datagram_whose_udp_length_runs_past_its_packet_is_reported()
    {
        byte[] pcap = Capture();
        var (frame, _) = FirstFrame(pcap);
        int ip = frame + 14;
        while (BinaryPrimitives.ReadUInt16BigEndian(pcap.AsSpan(ip - 2)) is 0x8100 or 0x88A8) ip += 4;   // 802.1Q tags
        Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(pcap.AsSpan(ip - 2)));                 // IPv4
        int ihl = (pcap[ip] & 0x0F) * 4;
        BinaryPrimitives.WriteUInt16BigEndian(pcap.AsSpan(ip + ihl + 4), 0xFFFF);                         // UDP length
        var r = Replay("pcap", Save(pcap, "udp.pcap"));
        AssertIncomplete(r, "truncated UDP: 1 datagram(s) whose UDP header or length runs past the IP payload", "truncated_udp", 1);
    }

    [Fact]
    public void A_record_longer_than_the_read_buffer_is_reported_as_oversized()
    {
        byte[] pcap = Capture();
        var (_, swapped) = FirstFrame(pcap);
        int length = PcapSource.DefaultBufferSize;   // 16 bytes past what one buffer holds with its header
        var header = new byte[PcapSource.RecordHeaderSize];
        for (int i = 8; i < 16; i += 4)
            if (swapped) BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(i), (uint)length); else BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(i), (uint)length);
        var ms = new MemoryStream();
        ms.Write(pcap);
        ms.Write(header);
        ms.Write(new byte[length]);
        var r = Replay("pcap", Save(ms.ToArray(), "oversized.pcap"));
        AssertIncomplete(r, "oversized records: 1 record(s) longer than the", "oversized_records", 1);
        Assert.Matches(@"messages by type: D=[1-9]", r.Out);   // the records before it were decoded
    }

    [Fact]
    public void An_itch_file_of_zeros_is_named_as_having_every_length_prefix_zero()
    {
        var r = Replay("itch50", Save(new byte[4096], "zeros.itch50"));
        AssertIncomplete(r, "every length prefix is zero: this is not a NASDAQ binary ITCH file, or it was written without lengths (all 4,096 bytes are zero)",
            "zero_length_prefix", 1);
        Assert.Equal(0, r.Json.GetProperty("input").GetProperty("messages").GetInt64());
    }

    [Fact]
    public void An_itch_file_that_is_not_itch_says_its_first_prefix_is_zero()
    {
        byte[] bytes = new byte[100];
        bytes[50] = 7;
        var r = Replay("itch50", Save(bytes, "nolength.itch50"));
        AssertIncomplete(r, "the first length prefix is zero, so no message could be framed: this is not a NASDAQ binary ITCH file", "zero_length_prefix", 1);
    }

    [Fact]
    public void An_itch_file_with_a_zero_filled_tail_says_where_framing_stopped()
    {
        byte[] good = File.ReadAllBytes(SharedData.Path("itch/artificial-3-stocks.itch50"));
        var ms = new MemoryStream();
        ms.Write(good);
        ms.Write(new byte[1000]);
        var r = Replay("itch50", Save(ms.ToArray(), "zerotail.itch50"));
        AssertIncomplete(r, $"zero length prefix at byte {good.Length:N0} stopped framing after 12,012 messages: 1,000 bytes not read (all zero from there",
            "zero_length_prefix", 1);
        Assert.Equal(12_012, r.Json.GetProperty("input").GetProperty("messages").GetInt64());
    }

    [Fact]
    public void An_itch_file_cut_inside_a_message_reports_its_truncated_tail()
    {
        byte[] good = File.ReadAllBytes(SharedData.Path("itch/artificial-3-stocks.itch50"));
        var r = Replay("itch50", Save(good.AsSpan(0, good.Length - 5).ToArray(), "cut.itch50"));
        AssertIncomplete(r, "truncated tail: the file ends inside a message", "truncated_tail", 1);
    }

    [Fact]
    public void Non_regular_inputs_are_refused_before_reading()
    {
        var (code, _, error) = CommandRunner.Run("replay", "--format", "itch50", "/dev/zero");
        Assert.Equal(2, code);
        Assert.Contains("replay: input '/dev/zero': is a character device, not a regular file", error);
        (code, _, error) = CommandRunner.Run("replay", "--format", "pcap", _dir);
        Assert.Equal(2, code);
        Assert.Contains($"replay: input '{_dir}': is a directory", error);
    }
}
