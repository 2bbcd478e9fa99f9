using System;
using System.IO;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Recording;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Core.Recording;

/// <summary>
/// The recorder's start-up check of the datagram size, the ring it reports, and an alert output that fails itself
/// (standard error gone): the recording goes on and the counters still tell.
/// </summary>
public sealed class JournalRecorderEdgeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-recorder-edge").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static ArenaOptions Arena => new() { HugePages = false, Lock = false, Prefault = false };

    private struct NoEvents : IPacketDecoder, IRejectReporting
    {
        public readonly byte TakeRejectReason(byte lineId) => 0;
        public readonly int MaxEventsPerPacket => 1;
        public readonly int EventBound(ReadOnlySpan<byte> payload) => 0;
        public readonly void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events) { }
    }

    /// <summary>An alert output whose every write fails, as standard error does when its pipe is gone.</summary>
    private sealed class BrokenWriter : StringWriter
    {
        public int Writes;
        public override void WriteLine(string? value)
        {
            Writes++;
            throw new IOException("Broken pipe");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65_536)]
    public void A_datagram_size_outside_one_to_the_largest_payload_is_refused(int maxDatagramBytes)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new JournalRecorder(new RecordingOptions { Directory = _dir }, maxDatagramBytes,
            RecordingFixture.Header, Arena, new MemoryRegistry(1L << 30)));
        Assert.Equal("maxDatagramBytes", e.ParamName);
        Assert.Contains("1 to 65535", e.Message);
    }

    [Fact]
    public void An_alert_output_that_fails_does_not_stop_the_recording()
    {
        var alerts = new BrokenWriter();
        using var recorder = new JournalRecorder(new RecordingOptions { Directory = _dir, RingSlots = 64 }, 1400, RecordingFixture.Header,
            Arena, new MemoryRegistry(1L << 30), alerts);
        Assert.Equal(64, recorder.RingSlots);
        Assert.Equal(64, recorder.Ring.Capacity);
        var decoder = new RecordingDecoder<NoEvents>(default, recorder.Tap);
        var batch = new MarketEvent[1];
        var payload = new byte[100];
        for (int i = 0; i < 100; i++)   // not started yet: 64 fit, 36 are dropped, which the first drain alerts about
        {
            var writer = new EventBatchWriter(batch, 0, 1);
            decoder.Decode(payload, new PacketInfo(1_000 + i, 3, PacketSourceKind.Socket), ref writer);
        }
        recorder.Start();
        HostRun.WaitFor(() => alerts.Writes > 0 && recorder.Writer.Records == 64, "the overflow alert and the drain");
        recorder.Stop();
        Assert.False(recorder.Failed);
        Assert.Equal(64, recorder.Writer.Records);
        Assert.Equal(36, recorder.Figures().DroppedByOverflow);
    }
}
