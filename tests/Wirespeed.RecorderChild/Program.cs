using System;
using System.Buffers.Binary;
using System.Threading;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;

namespace Wirespeed.RecorderChild;

/// <summary>
/// Records datagrams into DIR until killed: line 7, sequence 1, 2, 3 …, each datagram's length and bytes a function of
/// its sequence (<see cref="Payload"/>), through the production recorder (tap, ring, recorder thread, writer) with the
/// block overflow policy, so that the record of one run has no holes. Prints, on standard output:
/// <c>repaired BYTES nothing|tail</c> once (what opening the directory cut off), then <c>durable N</c> whenever the recorder's synced
/// record count grows (records 1..N are on the disk). Usage: Wirespeed.RecorderChild DIR [fsync: segment|interval|record].
/// </summary>
public static class Program
{
    public const byte Line = 7;

    private static readonly byte[] Ramp = MakeRamp();

    private static byte[] MakeRamp()
    {
        var ramp = new byte[256 + 1400];
        for (int i = 0; i < ramp.Length; i++) ramp[i] = (byte)i;
        return ramp;
    }

    /// <summary>The datagram of sequence <paramref name="sequence"/>: 16 to 1,400 bytes, every byte derived from the sequence.</summary>
    public static int Payload(ulong sequence, Span<byte> into)
    {
        int length = 16 + (int)(sequence * 2654435761UL % 1385);
        BinaryPrimitives.WriteUInt64LittleEndian(into, sequence);
        // Byte i is (sequence * 31 + i) mod 256: a slice of the ramp, copied rather than computed byte by byte so that the
        // producer outruns the recorder (a ring that runs dry makes the recorder write whole records only).
        Ramp.AsSpan((int)((sequence * 31 + 8) & 255), length - 8).CopyTo(into.Slice(8));
        return length;
    }

    public static int Main(string[] args)
    {
        var fsync = args.Length > 1 && args[1] == "record" ? FsyncPolicy.Record : args.Length > 1 && args[1] == "segment" ? FsyncPolicy.Segment : FsyncPolicy.Interval;
        var options = new RecordingOptions
        {
            Directory = args[0],
            SegmentBytes = 1 << 20,             // a rotation every ~1,500 records: kills land in headers and indexes too
            Fsync = fsync,
            FsyncIntervalMs = 10,
            RingSlots = 1024,
            Overflow = RecordingOverflow.Block,
            IndexEveryRecords = 16,
            WriteBufferBytes = 128 << 10,       // fills between ticks: records straddle writes, so kills tear records
        };
        var registry = new MemoryRegistry(1L << 30);
        using var recorder = new JournalRecorder(options, 1400,
            (n, realtime, mono) => new SegmentHeader { Segment = n, StartRealtimeNs = realtime, StartMonotonicNs = mono, Lines = [new JournalLine(Line, 0xEFC00001, 26477, "kill")] },
            new ArenaOptions { HugePages = false, Lock = false, Prefault = true }, registry);
        Console.Out.WriteLine($"repaired {recorder.Writer.RepairedBytes} {(recorder.Writer.RepairNote is null ? "nothing" : "tail")}");
        Console.Out.Flush();
        recorder.Start();
        var tap = recorder.Tap;
        Span<byte> datagram = stackalloc byte[1400];
        long reported = 0;
        for (ulong sequence = 1; ; sequence++)
        {
            int length = Payload(sequence, datagram);
            var info = new PacketInfo(MonoClock.NowNs(), Line, PacketSourceKind.InProcess);
            long slot = tap.Begin(datagram.Slice(0, length), in info);
            tap.End(slot, (byte)(sequence % 97 == 0 ? 4 : 0));   // every 97th "rejected" with reason 4
            if ((sequence & 63) == 0)
            {
                long durable = recorder.Writer.DurableRecords;   // written by the recorder thread; a 64-bit read is atomic on x64
                if (durable != reported)
                {
                    Console.Out.WriteLine($"durable {durable}");
                    Console.Out.Flush();
                    reported = durable;
                }
                if (recorder.Failed) return 1;
            }
        }
    }
}
