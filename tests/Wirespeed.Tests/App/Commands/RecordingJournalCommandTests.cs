using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Core.Recording;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary><c>wirespeed journal verify|dump|export DIR</c> on a recording of simulated MoldUDP64/ITCH datagrams.</summary>
public sealed class RecordingJournalCommandTests : IDisposable
{
    private const int Port = 26477;
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-rec-cmd").FullName;
    private readonly string _rec;
    private readonly List<byte[]> _datagrams = new();

    public RecordingJournalCommandTests()
    {
        _rec = Path.Combine(_dir, "rec");
        string pcap = Path.Combine(_dir, "sim.pcap");
        Assert.Equal(0, CommandRunner.Run("simulate", "--out", pcap, "--format", "pcap", "--messages", "20000").Code);
        using (var source = PcapSource.Open(pcap))
        {
            var c = new Collect { Into = _datagrams };
            while (source.Poll(ref c, 64) > 0) { }
        }
        // One line, 239.192.0.1:26477, segments of 64 KiB; every 50th datagram flagged as rejected (reason 5).
        var options = new RecordingOptions { Directory = _rec, SegmentBytes = 64 << 10, WriteBufferBytes = 128 << 10 };
        using var w = new JournalWriter(options, (n, rt, mono) => new SegmentHeader
        {
            Segment = n, StartRealtimeNs = 1_767_312_000L * 1_000_000_000L, StartMonotonicNs = 0, ConfigDigest = new byte[32],
            Lines = [new JournalLine(0, 0xEFC00001, Port, "A")],
        });
        for (int i = 0; i < _datagrams.Count; i++)
        {
            var d = _datagrams[i];
            var r = new byte[JournalLayout.RecordHeaderSize + d.Length];
            bool rejected = i % 50 == 49;
            JournalLayout.WriteHeader(r, d.Length, 0, rejected ? RecordFlags.Rejected : RecordFlags.None, rejected ? (byte)5 : (byte)0, 1, 1_000_000L * (i + 1), (ulong)i + 1);
            d.CopyTo(r, JournalLayout.RecordHeaderSize);
            w.Append(r, 0);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private struct Collect : IPacketHandler
    {
        public List<byte[]> Into;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Into.Add(payload.ToArray());
    }

    private string N(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_reports_every_segment_and_a_clean_recording()
    {
        var (code, output, error) = CommandRunner.Run("journal", "verify", _rec);
        Assert.True(code == 0, output + error);
        int segments = JournalWriter.ListSegments(_rec).Count;
        Assert.True(segments > 2);
        Assert.Equal(segments, output.Split('\n').Count(l => l.StartsWith("segment ", StringComparison.Ordinal)));
        Assert.Contains("(A id 0 239.192.0.1:26477)", output);
        Assert.Contains($"recording {_rec}: {segments} segment(s), {N(_datagrams.Count)} records ({N(_datagrams.Count / 50)} rejected by the decoder, kept with their reason), 0 corrupt records", output);
        Assert.EndsWith(": clean", output.Trim());
    }

    [Fact]
    public void Verify_finds_a_flipped_bit_and_names_its_segment()
    {
        var (_, path) = JournalWriter.ListSegments(_rec)[1];
        RecordingFixture.FlipBit(path, new FileInfo(path).Length / 2);
        var (code, output, _) = CommandRunner.Run("journal", "verify", _rec);
        Assert.Equal(1, code);
        Assert.Contains($"segment {Path.GetFileName(path)}:", output);
        Assert.Contains("1 corrupt (", output);
        Assert.Contains("1 corrupt records", output);
        Assert.Contains("DAMAGED (a replay skips the corrupt records and counts them)", output);
        // The replay source skips it, counted, and delivers every other datagram.
        using var source = new JournalSource(_rec);
        var got = new List<byte[]>();
        var c = new Collect { Into = got };
        while (source.Poll(ref c, 64) > 0) { }
        Assert.Equal(_datagrams.Count - 1, got.Count);
        Assert.Equal(1, source.CorruptRecords);
        Assert.False(source.Completeness.Complete);
    }

    [Fact]
    public void Dump_prints_each_record_and_json_lines_parse()
    {
        var (code, output, _) = CommandRunner.Run("journal", "dump", _rec);
        Assert.Equal(0, code);
        var lines = output.Split('\n').Where(l => l.Contains(" line=", StringComparison.Ordinal)).ToList();
        Assert.Equal(_datagrams.Count, lines.Count);
        Assert.Contains("seq=50 ", lines[49]);
        Assert.Contains("REJECTED reason=5", lines[49]);
        var (jcode, json, jerr) = CommandRunner.Run("journal", "dump", _rec, "--json");
        Assert.Equal(0, jcode);
        Assert.Contains(": clean", jerr);
        var records = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(_datagrams.Count, records.Count);
        Assert.Equal(_datagrams[7].Length, records[7].GetProperty("length").GetInt32());
        Assert.Equal(1_767_312_000L * 1_000_000_000L + 8_000_000L, records[7].GetProperty("time_unix_ns").GetInt64());
    }

    [Fact]
    public void Export_writes_a_pcap_that_our_reader_and_tshark_read_as_moldudp64_with_no_malformed_frame()
    {
        string pcap = Path.Combine(_dir, "export.pcap");
        var (code, output, error) = CommandRunner.Run("journal", "export", _rec, "--out", pcap);
        Assert.True(code == 0, output + error);
        Assert.Contains($"exported {N(_datagrams.Count)} datagrams", output);
        using (var source = PcapSource.Open(pcap))
        {
            var back = new List<byte[]>();
            var c = new Collect { Into = back };
            while (source.Poll(ref c, 64) > 0) { }
            Assert.Equal(_datagrams.Count, back.Count);
            for (int i = 0; i < back.Count; i++) Assert.True(back[i].AsSpan().SequenceEqual(_datagrams[i]), $"datagram {i}");
        }

        string? tshark = FindTshark();
        Requires.That(tshark is not null, "tshark is not installed (Debian package tshark; ./ws installs it)");
        string decode = $"udp.port=={Port},moldudp64";
        var (mcode, mold) = Tshark(tshark!, "-r", pcap, "-d", decode, "-Y", "moldudp64", "-T", "fields", "-e", "moldudp64.sequence");
        Assert.True(mcode == 0, mold);
        Assert.Equal(_datagrams.Count, mold.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var (bcode, malformed) = Tshark(tshark!, "-r", pcap, "-d", decode, "-Y", "_ws.malformed || _ws.expert.severity >= warning");
        Assert.True(bcode == 0, malformed);
        Assert.True(malformed.Trim().Length == 0, "tshark found malformed frames:\n" + string.Join('\n', malformed.Split('\n').Take(5)));
        var (dcode, dst) = Tshark(tshark!, "-r", pcap, "-c", "1", "-T", "fields", "-e", "ip.dst", "-e", "udp.dstport", "-e", "frame.time_epoch");
        Assert.Equal(0, dcode);
        Assert.StartsWith("239.192.0.1\t26477\t1767312000.001", dst.Trim());
    }

    [Fact]
    public void Export_needs_an_output_and_a_file_argument_is_still_a_signal_journal()
    {
        var (code, _, error) = CommandRunner.Run("journal", "export", _rec);
        Assert.Equal(2, code);
        Assert.Contains("--out", error);
        string file = Path.Combine(_dir, "not-a-dir.journal");
        File.WriteAllBytes(file, []);
        var (fcode, foutput, _) = CommandRunner.Run("journal", "verify", file);
        Assert.Equal(0, fcode);
        Assert.Contains("0 records", foutput);   // an empty signal journal: clean
    }

    private static string? FindTshark()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "tshark"))) return Path.Combine(dir, "tshark");
        return null;
    }

    private static (int Code, string Output) Tshark(string tshark, params string[] args)
    {
        var psi = new ProcessStartInfo(tshark) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, p.ExitCode == 0 ? output : output + stderr.Result);
    }
}
