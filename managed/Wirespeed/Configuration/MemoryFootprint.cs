using System;
using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Rings;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop;

namespace Wirespeed.Configuration;

/// <summary>
/// What a configuration reserves at start-up, part by part, computed from the same formulas the parts register with
/// (<see cref="OrderBookSet.ReservedBytes"/>, <see cref="Arena.RegisteredBytes"/>, the rings' RequiredBytes, the
/// transports' ArenaBytes) without allocating anything: the validator compares the sum with memory.ceilingBytes, so
/// check-config refuses what run's start-up would refuse, and says which part to shrink.
/// </summary>
public static class MemoryFootprint
{
    /// <summary>The parts, largest first, each with the configuration key that sizes it.</summary>
    public static List<(string Part, string Key, long Bytes)> Of(WirespeedConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var parts = new List<(string, string, long)>();
        var arena = new ArenaOptions { HugePages = c.Memory.HugePages, Lock = c.Memory.Lock, Prefault = c.Memory.Prefault };
        for (int i = 0; i < c.Lines.Count; i++)
        {
            var l = c.Lines[i];
            var (orders, levels) = OrderBookSet.ReservedBytes(c.Books.ToOptions("book." + l.Name));
            parts.Add(($"books {l.Name} orders", "books.maxOrders", orders));
            parts.Add(($"books {l.Name} levels", "books.maxInstruments x books.maxLevelsPerSide", levels));
            long transport = TransportBytes(c, l, arena);
            if (transport > 0) parts.Add(($"receive buffers {l.Name}", $"lines[{i}].maxDatagramBytes", transport));
        }
        if (c.Pipeline.Topology == PipelineTopology.Split)
        {
            // Four lane rings (critical, high, normal, bulk), each in an arena of its own on huge pages when there are some.
            long lane = Arena.RegisteredBytes(new ArenaOptions { SizeBytes = SpscRing<MarketEvent>.RequiredBytes(c.Priority.LaneCapacity) + 64, HugePages = true });
            parts.Add(("lane rings (4)", "priority.laneCapacity", 4 * lane));
        }
        if (c.Patterns.Enabled)
            parts.Add(("patterns ring", "patterns.ringCapacity",
                Arena.RegisteredBytes(arena with { SizeBytes = SpmcBroadcast<MarketEvent>.RequiredBytes(c.Patterns.RingCapacity) + 64 })));
        if (c.Recording.Directory.Length > 0)
        {
            int maxDatagram = 0;
            foreach (var l in c.Lines) maxDatagram = Math.Max(maxDatagram, l.MaxDatagramBytes);
            parts.Add(("recording ring", "recording.ringSlots x lines[].maxDatagramBytes",
                Arena.RegisteredBytes(arena with { SizeBytes = JournalRecorder.RingBytes(c.Recording.RingSlots, maxDatagram) + Arena.MaxAlignment })));
        }
        // The quarantine is on the managed heap (not in the registry), but it is reserved all the same.
        parts.Add(("quarantine", "quarantine.capacity x quarantine.maxBytes", (long)c.Quarantine.Capacity * c.Quarantine.MaxBytes));
        parts.Sort((a, b) => b.Item3.CompareTo(a.Item3));
        return parts;
    }

    /// <summary>The sum of <see cref="Of"/>.</summary>
    public static long Total(List<(string Part, string Key, long Bytes)> parts)
    {
        long sum = 0;
        foreach (var p in parts) sum += p.Bytes;
        return sum;
    }

    // The transport is chosen at start-up (auto), so this takes the largest of those the line could get; all are small.
    private static long TransportBytes(WirespeedConfig c, LineConfig l, ArenaOptions arena)
    {
        if (l.Transport == TransportKind.Aeron)
            return Arena.RegisteredBytes(arena with { SizeBytes = Feeds.Aeron.AeronPacketSource.ArenaBytes(l.ToAeronOptions()) + Arena.MaxAlignment });
        if (l.Transport == TransportKind.Recv || !NativeLibraryResolver.IsAvailable(out _)) return 0;
        var udp = l.ToUdpOptions();
        long most = 0;
        if (l.Transport is TransportKind.Auto or TransportKind.Uring)
            most = Math.Max(most, UringUdpSource.ArenaBytes(udp, new UringOptions()) + Arena.MaxAlignment);
        if (l.Transport is TransportKind.Auto or TransportKind.Socket)
            most = Math.Max(most, MmsgUdpSource.ArenaBytes(udp) + Arena.MaxAlignment);
        return most == 0 ? 0 : Arena.RegisteredBytes(arena with { SizeBytes = most });
    }
}
