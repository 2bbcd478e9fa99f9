using System.Numerics;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

public static partial class ConfigValidator
{
    /// <summary>
    /// Each line's side B, re-request server and reorder window (LineRecoveryConfig.cs): B's socket by the library's
    /// rules, on a group or port of its own (not the line's, not any other line's side), through the line's transport;
    /// the server as IPv4:port; the client's limits by the library's rules; the window a power of two.
    /// </summary>
    private static void ValidateLineRecovery(WirespeedConfig c)
    {
        for (int i = 0; i < c.Lines.Count; i++)
        {
            var l = c.Lines[i];
            string p = $"lines[{i}]";
            Require(l.ReorderSlots is >= 1 and <= 65536 && BitOperations.IsPow2(l.ReorderSlots), p + ".reorderSlots",
                $"{l.ReorderSlots}: use a power of two from 1 to 65536 (packets held out of order while a gap waits), e.g. 1024.");
            Require((long)l.ReorderSlots * l.MaxDatagramBytes <= 256L << 20, p + ".reorderSlots",
                $"{l.ReorderSlots} slots of lines[{i}].maxDatagramBytes {l.MaxDatagramBytes} is {(long)l.ReorderSlots * l.MaxDatagramBytes:N0} bytes, over 256 MiB; lower either.");
            if (l.B is { } b) ValidateSideB(c, i, b, p + ".b");
            if (l.Retransmit is { } r) ValidateRetransmit(r, p + ".retransmit");
        }
    }

    private static void ValidateSideB(WirespeedConfig c, int i, LineSideConfig b, string p)
    {
        var l = c.Lines[i];
        NotNull(b.Group, p + ".group");
        NotNull(b.Interface, p + ".interface");
        Require(System.Enum.IsDefined(b.Transport), p + ".transport", $"{(int)b.Transport} is not one of: {TransportNames.All}.");
        Require(b.Transport == l.Transport, p + ".transport",
            $"'{TransportNames.Of(b.Transport)}' differs from lines[{i}].transport '{TransportNames.Of(l.Transport)}': one worker receives both sides through one transport; use '{TransportNames.Of(l.Transport)}'.");
        Require(l.Transport != TransportKind.Aeron, p, "an aeron line is one Aeron stream, repaired by Aeron's own NAKs and retransmissions: side B is for MoldUDP64 lines over UDP; remove lines[" + i + "].b or receive the feed over udp.");
        Require(l.Transport != TransportKind.Xdp, p, "AF_XDP serves one socket per process (an XDP socket owns its device queue): receive side B with uring or socket, or run one process per side.");
        Library(p, l.ToUdpOptionsB().Validated);
        Require(!(b.Group == l.Group && b.Port == l.Port && b.Interface == l.Interface), p + ".port",
            $"side B receives {b.Group}:{b.Port} on {b.Interface}, the same as side A (lines[{i}]): give B its own group or port, e.g. group 239.192.0.2.");
        for (int j = 0; j < c.Lines.Count; j++)
        {
            if (j == i) continue;
            var o = c.Lines[j];
            Require(!(o.Group == b.Group && o.Port == b.Port && o.Interface == b.Interface), p + ".port",
                $"lines[{j}] already receives {b.Group}:{b.Port} on {b.Interface}; give side B its own group or port.");
            Require(j > i || o.B is null || !(o.B.Group == b.Group && o.B.Port == b.Port && o.B.Interface == b.Interface), p + ".port",
                $"lines[{j}].b already receives {b.Group}:{b.Port} on {b.Interface}; give each side its own group or port.");
        }
    }

    private static void ValidateRetransmit(RetransmitConfig r, string p)
    {
        NotNull(r.Server, p + ".server");
        Require(r.EndPoint() is not null, p + ".server", $"'{r.Server}' is not IPv4-address:port, e.g. \"10.0.0.5:26480\" (port 0 in demo and simulate: the simulator's server picks one).");
        Require(r.GapWaitNs is >= 0 and <= 10_000_000_000, p + ".gapWaitNs", $"{r.GapWaitNs}: use 0..10000000000 ns (how long a gap waits for the other side before it is requested), e.g. 1000000 (1 ms).");
        Library(p, r.ToOptions(System.Net.IPAddress.Loopback).Validated);
    }
}
