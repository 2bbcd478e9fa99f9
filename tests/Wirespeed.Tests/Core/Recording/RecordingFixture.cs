using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Recording;

namespace Wirespeed.Tests.Core.Recording;

/// <summary>Recordings made for tests: records whose bytes are a function of their sequence, and a reader that collects them.</summary>
internal static class RecordingFixture
{
    public static readonly JournalLine[] Lines = [new JournalLine(3, 0xEFC00001, 26477, "A"), new JournalLine(9, 0xEFC00002, 26478, "B")];

    public static SegmentHeader Header(uint n, long realtime, long mono) => new()
    {
        Segment = n, StartRealtimeNs = realtime, StartMonotonicNs = mono, ConfigDigest = new byte[32], Lines = Lines,
    };

    public static RecordingOptions Options(string dir) => new()
    {
        Directory = dir,
        SegmentBytes = 64 << 10,
        Fsync = FsyncPolicy.Segment,
        IndexEveryRecords = 8,
        WriteBufferBytes = 128 << 10,
    };

    /// <summary>The payload of record <paramref name="i"/>: 20..619 bytes, each derived from i.</summary>
    public static byte[] Payload(long i)
    {
        var p = new byte[20 + (int)(i * 7919 % 600)];
        BinaryPrimitives.WriteInt64LittleEndian(p, i);
        for (int k = 8; k < p.Length; k++) p[k] = (byte)(i * 13 + k);
        return p;
    }

    /// <summary>Record image of record i as the tap writes it: line alternating 3 and 9, receive time 1,000 + i µs.</summary>
    public static byte[] Record(long i, byte reason = 0)
    {
        var payload = Payload(i);
        var r = new byte[JournalLayout.RecordHeaderSize + payload.Length];
        JournalLayout.WriteHeader(r, payload.Length, Lines[i % 2].Id, reason != 0 ? RecordFlags.Rejected : RecordFlags.None, reason, 1, ReceiveNs(i), (ulong)(i / 2 + 1));
        payload.CopyTo(r, JournalLayout.RecordHeaderSize);
        return r;
    }

    public static long ReceiveNs(long i) => 1_000_000 + i * 1_000;

    /// <summary>Writes records first..first+count-1 into <paramref name="dir"/> and closes the writer.</summary>
    public static JournalWriter Write(string dir, long first, long count, RecordingOptions? options = null)
    {
        var w = new JournalWriter(options ?? Options(dir), Header);
        for (long i = first; i < first + count; i++) w.Append(Record(i), 0);
        w.Dispose();
        return w;
    }

    /// <summary>Every record of every segment, in order, as (the i its payload says, receive ns, line).</summary>
    public static List<(long I, long ReceiveNs, byte Line)> ReadAll(string dir, out long corrupt, out long torn)
    {
        var list = new List<(long, long, byte)>();
        corrupt = torn = 0;
        foreach (var (_, path) in JournalWriter.ListSegments(dir))
        {
            using var r = SegmentReader.TryOpen(path, out string? problem, out _) ?? throw new InvalidDataException(path + ": " + problem);
            while (r.Next() != SegmentReadStatus.End)
            {
                var rec = r.Record;
                long i = BinaryPrimitives.ReadInt64LittleEndian(rec.Payload);
                if (!rec.Payload.SequenceEqual(Payload(i))) throw new InvalidDataException($"record {i}: payload differs");
                list.Add((i, rec.ReceiveNs, rec.LineId));
            }
            corrupt += r.CorruptRecords;
            torn += r.TornTailBytes;
        }
        return list;
    }

    /// <summary>Flips one bit of the file at <paramref name="offset"/>.</summary>
    public static void FlipBit(string path, long offset, int bit = 3)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        int b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ (1 << bit)));
    }

    /// <summary>The line sequences of every intact record, in order (damage and torn tails skipped).</summary>
    public static List<ulong> ReadSequences(string dir)
    {
        var list = new List<ulong>();
        foreach (var (_, path) in JournalWriter.ListSegments(dir))
        {
            using var r = SegmentReader.TryOpen(path, out _, out _);
            if (r is null) continue;
            while (r.Next() != SegmentReadStatus.End) list.Add(r.Record.Sequence);
        }
        return list;
    }
}
