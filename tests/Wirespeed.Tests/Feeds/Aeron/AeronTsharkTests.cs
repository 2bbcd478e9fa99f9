using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>
/// Wireshark's Aeron dissector reads what our publication and subscription put on the wire: a real exchange over a
/// lossy relay (SETUP, SM, DATA, PAD at term ends, NAK, retransmits, heartbeats, EOS) written to two pcaps, one per
/// direction, decoded with <c>-d udp.port==…,aeron</c>: every frame type expected is there and nothing is malformed.
/// </summary>
public class AeronTsharkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-aeron-pcap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int Port(int offset) => 40_000 + Environment.ProcessId % 10_000 * 2 + offset;

    [Fact]
    public void Tshark_decodes_both_directions_with_the_expected_frame_types_and_no_malformed_frame()
    {
        string? tshark = FindTshark();
        Requires.That(tshark is not null, "tshark is not installed (Debian package tshark; ./ws installs it)");

        var subEndpoint = new IPEndPoint(IPAddress.Loopback, Port(10));
        using var relay = new AeronRelay(Port(11), subEndpoint, dropEvery: 53, record: true);
        var (arena, sub, pub) = AeronLoopbackTests.Open(Port(10), publishTo: new IPEndPoint(IPAddress.Loopback, Port(11)));
        using (arena)
        using (sub)
        using (pub)
        {
            AeronLoopbackTests.Connect(pub, sub, relay.Pump);
            AeronLoopbackTests.InOrder h = AeronLoopbackTests.Stream(pub, sub, 3_000, relay.Pump);
            Assert.Equal(3_000, h.Next);
            long idleEnd = MonoClock.NowNs() + 250_000_000;                 // idle: heartbeats
            while (MonoClock.NowNs() < idleEnd) { pub.DoWork(); relay.Pump(); sub.Poll(ref h, 10); relay.Pump(); Thread.Sleep(2); }
            pub.Close();
            long deadline = MonoClock.NowNs() + 3_000_000_000;
            while (!pub.IsLingerComplete && MonoClock.NowNs() < deadline) { pub.DoWork(); relay.Pump(); sub.Poll(ref h, 10); relay.Pump(); Thread.Sleep(2); }
            Assert.True(pub.IsLingerComplete);
        }

        var pubEnd = new IPEndPoint(IPAddress.Loopback, 45_000);
        var relayEnd = new IPEndPoint(IPAddress.Loopback, Port(11));
        string toSub = Path.Combine(_dir, "data.pcap");
        string toPub = Path.Combine(_dir, "control.pcap");
        WritePcap(toSub, pubEnd, relayEnd, relay.ToSubscriber);
        WritePcap(toPub, relayEnd, pubEnd, relay.ToPublisher);
        string decode = $"udp.port=={relayEnd.Port},aeron";

        foreach (string filter in new[] { "aeron.setup", "aeron.data", "aeron.pad", "aeron.heartbeat", "aeron.data.flags.s == 1" })
            Assert.True(Count(tshark!, toSub, decode, filter) > 0, $"no '{filter}' in the data direction");
        foreach (string filter in new[] { "aeron.sm", "aeron.nak", "aeron.sm.flags == 0x40" })
            Assert.True(Count(tshark!, toPub, decode, filter) > 0, $"no '{filter}' in the control direction");
        foreach (string file in new[] { toSub, toPub })
        {
            var (code, malformed) = Tshark(tshark!, "-r", file, "-d", decode, "-Y", "_ws.malformed || _ws.expert.severity >= error || !aeron");
            Assert.True(code == 0, malformed);
            Assert.True(malformed.Trim().Length == 0, $"tshark found malformed or undecoded frames in {Path.GetFileName(file)}:\n" + string.Join('\n', malformed.Split('\n').Take(5)));
        }
    }

    private static void WritePcap(string path, IPEndPoint source, IPEndPoint destination, List<byte[]> datagrams)
    {
        using var writer = PcapWriter.Create(path, source, destination);
        long t = 0;
        foreach (byte[] d in datagrams) writer.Write(d, t += 1_000);
    }

    private static int Count(string tshark, string file, string decode, string filter)
    {
        var (code, output) = Tshark(tshark, "-r", file, "-d", decode, "-Y", filter, "-T", "fields", "-e", "frame.number");
        Assert.True(code == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
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
