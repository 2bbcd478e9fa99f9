using System;
using System.Collections.Generic;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Hosting.Simulation;

/// <summary>
/// Pre-generated MoldUDP64 packets in one contiguous buffer, so a benchmark measures the receive path and not the
/// simulator (cold path: built once before measuring).
/// </summary>
public sealed class PacketBlob
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets;   // packet i is _bytes[_offsets[i] .. _offsets[i + 1])

    private PacketBlob(byte[] bytes, int[] offsets, long messages)
    {
        _bytes = bytes;
        _offsets = offsets;
        Messages = messages;
    }

    public int Count => _offsets.Length - 1;
    public long Messages { get; }
    public long Bytes => _offsets[^1];

    /// <summary>Every packet, back to back (the regression guard's reference loop reads the same bytes).</summary>
    public ReadOnlySpan<byte> AllBytes => _bytes;

    public ReadOnlySpan<byte> this[int i] => _bytes.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]);

    /// <summary>Generates about <paramref name="messages"/> messages from <paramref name="feed"/> (virtual timestamps).</summary>
    public static PacketBlob Generate(SimFeed feed, long messages)
    {
        var offsets = new List<int> { 0 };
        var bytes = new List<byte[]>();
        long total = 0;
        var chunk = new byte[1 << 24];
        int used = 0;
        long startMessages = feed.MessagesPacked;
        while (feed.MessagesPacked - startMessages < messages && !feed.Ended)
        {
            var p = feed.NextPacket();
            if (p.IsEmpty) break;
            if (used + p.Length > chunk.Length) { bytes.Add(chunk[..used]); chunk = new byte[1 << 24]; used = 0; }
            p.CopyTo(chunk.AsSpan(used));
            used += p.Length;
            total += p.Length;
            if (total > int.MaxValue) throw new InvalidOperationException("bench: more than 2 GiB of packets; lower --rate or --seconds");
            offsets.Add((int)total);
        }
        bytes.Add(chunk[..used]);
        var all = new byte[total];
        int at = 0;
        foreach (var b in bytes) { b.CopyTo(all, at); at += b.Length; }
        return new PacketBlob(all, offsets.ToArray(), feed.MessagesPacked - startMessages);
    }
}
