using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Signals;
using Xunit;

namespace Wirespeed.Tests.Core.Signals;

public class SignalJournalTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"wirespeed-signals-{Guid.NewGuid():N}.wsj");

    public void Dispose()
    {
        if (File.Exists(_path)) File.Delete(_path);
    }

    internal static Signal Make(int i) => new()
    {
        ReceiveTimestampNs = 1000 + i,
        DetectionTimestampNs = 2000 + i,
        ExchangeTimestampNs = 3000 + i,
        FeedSequence = (ulong)(4000 + i),
        StreamPosition = 5000 + i,
        Strength = i * 0.5,
        PatternId = i % 7,
        Instrument = i,
        OtherInstrument = -1,
        Kind = (PatternKind)(1 + i % 6),
        Direction = (sbyte)(i % 2 == 0 ? 1 : -1),
        Line = 1,
        OtherLine = 0,
    };

    private void Write(int count, int bufferRecords = 4)
    {
        using var w = new SignalJournalWriter(_path, bufferRecords);
        for (int i = 0; i < count; i++) w.Append(Make(i));
    }

    [Fact]
    public void Signal_is_one_cache_line_with_the_documented_offsets()
    {
        Assert.Equal(64, Unsafe.SizeOf<Signal>());
        var s = new Signal();
        Assert.Equal(40, (int)Unsafe.ByteOffset(ref Unsafe.As<long, byte>(ref s.ReceiveTimestampNs), ref Unsafe.As<double, byte>(ref s.Strength)));
        Assert.Equal(60, (int)Unsafe.ByteOffset(ref Unsafe.As<long, byte>(ref s.ReceiveTimestampNs), ref Unsafe.As<PatternKind, byte>(ref s.Kind)));
        Assert.Equal(63, (int)Unsafe.ByteOffset(ref Unsafe.As<long, byte>(ref s.ReceiveTimestampNs), ref s.OtherLine));
    }

    [Fact]
    public void Crc32C_matches_the_published_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32C.Compute([]));
        // 32 bytes of zeros: RFC 3720 B.4 test vector.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        uint split = Crc32C.Append(Crc32C.Compute(Encoding.ASCII.GetBytes("1234")), Encoding.ASCII.GetBytes("56789"));
        Assert.Equal(0xE3069283u, split);
    }

    [Fact]
    public void Journal_round_trips_every_signal_in_order()
    {
        Write(37);
        Assert.Equal(37 * SignalJournal.RecordSize, new FileInfo(_path).Length);
        var r = SignalJournalReader.Open(_path);
        for (int i = 0; i < 37; i++)
        {
            Assert.Equal(JournalReadStatus.Ok, r.TryRead(out Signal s));
            Assert.Equal(Make(i), s);
        }
        Assert.Equal(JournalReadStatus.End, r.TryRead(out _));
        Assert.Equal(37, r.GoodRecords);
        Assert.Equal(0, r.CorruptRecords);
        Assert.Equal(0, r.TornRecords);
    }

    [Fact]
    public void Journal_appends_to_an_existing_file()
    {
        Write(3);
        Write(2);
        var r = SignalJournalReader.Open(_path);
        int n = 0;
        while (r.TryRead(out _) == JournalReadStatus.Ok) n++;
        Assert.Equal(5, n);
    }

    [Theory]
    [InlineData(0)]      // receive timestamp
    [InlineData(41)]     // strength
    [InlineData(64)]     // magic
    [InlineData(70)]     // the CRC itself
    public void A_corrupted_byte_is_detected_by_the_crc_and_only_that_record_is_skipped(int offsetInRecord)
    {
        Write(5);
        byte[] data = File.ReadAllBytes(_path);
        data[2 * SignalJournal.RecordSize + offsetInRecord] ^= 0x10;
        var r = new SignalJournalReader(data);
        var statuses = new JournalReadStatus[5];
        var read = new Signal[5];
        for (int i = 0; i < 5; i++) statuses[i] = r.TryRead(out read[i]);
        Assert.Equal([JournalReadStatus.Ok, JournalReadStatus.Ok, JournalReadStatus.Corrupt, JournalReadStatus.Ok, JournalReadStatus.Ok], statuses);
        Assert.Equal(Make(3), read[3]);
        Assert.Equal(1, r.CorruptRecords);
        Assert.Equal(4, r.GoodRecords);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(71)]
    public void A_torn_tail_is_ignored_and_counted(int tailBytes)
    {
        Write(4);
        byte[] whole = File.ReadAllBytes(_path);
        byte[] torn = new byte[3 * SignalJournal.RecordSize + tailBytes];
        Array.Copy(whole, torn, torn.Length);
        var r = new SignalJournalReader(torn);
        int ok = 0;
        while (r.TryRead(out _) == JournalReadStatus.Ok) ok++;
        Assert.Equal(3, ok);
        Assert.Equal(tailBytes, r.TornTailBytes);
        Assert.Equal(1, r.TornRecords);
        Assert.Equal(0, r.CorruptRecords);
    }

    [Fact]
    public void Journal_sink_delivers_through_the_struct_sink_interface()
    {
        using (var w = new SignalJournalWriter(_path))
        {
            var sink = new TeeSignalSink<JournalSignalSink, JournalSignalSink>(new JournalSignalSink(w), new JournalSignalSink(w));
            sink.OnSignal(Make(1));
            Assert.Equal(2, w.Records);
        }
        var r = SignalJournalReader.Open(_path);
        Assert.Equal(JournalReadStatus.Ok, r.TryRead(out var a));
        Assert.Equal(JournalReadStatus.Ok, r.TryRead(out var b));
        Assert.Equal(a, b);
    }
}
