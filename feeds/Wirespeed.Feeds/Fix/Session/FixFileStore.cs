using System;
using System.Buffers.Binary;
using System.IO;
using Wirespeed.Core.Signals;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>
/// A crash-safe store: one append-only file per session holding every change as a record, replayed on open.
/// <code>
///   0      4      8     9        13
///   ┌──────┬──────┬─────┬────────┬─────────────┐
///   │ len  │ crc  │kind │ value  │ payload…    │   len = payload bytes; crc = CRC-32C of kind, value and payload
///   └──────┴──────┴─────┴────────┴─────────────┘   little-endian
///   kind 1 sent message (value = MsgSeqNum, payload = the message) · 2 next sender · 3 next target
///        4 session start (payload = UTC ticks, int64)
/// </code>
/// A crash can leave only the last record torn (cut short, or its CRC wrong): open replays every whole record,
/// truncates the file after the last good one and counts the bytes it cut (<see cref="RepairedBytes"/>). A reset
/// truncates the file and writes a session-start record. With <see cref="FixStoreSync.EveryWrite"/> each record is
/// fsynced before the call returns, so a message is on disk before it goes on the wire.
/// </summary>
public sealed class FixFileStore : FixMemoryStore
{
    private const int HeaderLength = 13;
    private const byte KindSent = 1, KindSender = 2, KindTarget = 3, KindStart = 4;
    private readonly FileStream _file;
    private readonly FixStoreSync _sync;
    private byte[] _record = new byte[4096];

    /// <summary>Opens (or creates) <paramref name="path"/> and replays it.</summary>
    public FixFileStore(string path, FixStoreSync sync = FixStoreSync.EveryWrite) : base(DateTime.UtcNow)
    {
        Path = path;
        _sync = sync;
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        long good = Replay();
        if (good < _file.Length)
        {
            RepairedBytes = _file.Length - good;
            _file.SetLength(good);
            _file.Flush(true);
        }
        _file.Position = good;
        if (good == 0) WriteStart(CreatedUtc);
    }

    public string Path { get; }
    /// <summary>Bytes of a torn tail cut off when the file was opened.</summary>
    public long RepairedBytes { get; }
    /// <summary>Records replayed when the file was opened.</summary>
    public int RecordsReplayed { get; private set; }

    public override void StoreSent(int seqNum, ReadOnlySpan<byte> message)
    {
        Append(KindSent, seqNum, message);
        Remember(seqNum, message.ToArray());
    }

    public override void SetNextSenderSeqNum(int value)
    {
        Append(KindSender, value, default);
        base.SetNextSenderSeqNum(value);
    }

    public override void SetNextTargetSeqNum(int value)
    {
        Append(KindTarget, value, default);
        base.SetNextTargetSeqNum(value);
    }

    public override void Reset(DateTime utcNow)
    {
        _file.SetLength(0);
        _file.Position = 0;
        Clear(utcNow);
        WriteStart(utcNow);
    }

    public override void Dispose() => _file.Dispose();

    private void WriteStart(DateTime utc)
    {
        Span<byte> ticks = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(ticks, utc.Ticks);
        Append(KindStart, 0, ticks);
    }

    private void Append(byte kind, int value, ReadOnlySpan<byte> payload)
    {
        int length = HeaderLength + payload.Length;
        if (_record.Length < length) _record = new byte[Math.Max(length, _record.Length * 2)];
        var r = _record.AsSpan(0, length);
        BinaryPrimitives.WriteInt32LittleEndian(r, payload.Length);
        r[8] = kind;
        BinaryPrimitives.WriteInt32LittleEndian(r.Slice(9), value);
        payload.CopyTo(r.Slice(HeaderLength));
        BinaryPrimitives.WriteUInt32LittleEndian(r.Slice(4), Crc32C.Compute(r.Slice(8)));
        _file.Write(r);
        if (_sync == FixStoreSync.EveryWrite) _file.Flush(true);
        else _file.Flush(false);
    }

    /// <summary>Applies every whole record; returns the offset after the last good one.</summary>
    private long Replay()
    {
        var all = new byte[_file.Length];
        _file.Position = 0;
        _file.ReadExactly(all);
        long at = 0;
        while (all.Length - at >= HeaderLength)
        {
            var r = all.AsSpan((int)at);
            int payload = BinaryPrimitives.ReadInt32LittleEndian(r);
            if (payload < 0 || payload > r.Length - HeaderLength) break;                          // cut short
            if (Crc32C.Compute(r.Slice(8, 5 + payload)) != BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(4))) break; // torn
            byte kind = r[8];
            int value = BinaryPrimitives.ReadInt32LittleEndian(r.Slice(9));
            var body = r.Slice(HeaderLength, payload);
            switch (kind)
            {
                case KindSent: Remember(value, body.ToArray()); break;
                case KindSender: base.SetNextSenderSeqNum(value); break;
                case KindTarget: base.SetNextTargetSeqNum(value); break;
                case KindStart when payload == 8 && ValidTicks(BinaryPrimitives.ReadInt64LittleEndian(body)):
                    Clear(new DateTime(BinaryPrimitives.ReadInt64LittleEndian(body), DateTimeKind.Utc)); break;
                default: return at;                                                                 // unknown kind or a time DateTime refuses: treat as torn
            }
            RecordsReplayed++;
            at += HeaderLength + payload;
        }
        return at;
    }

    private static bool ValidTicks(long ticks) => ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks;
}
