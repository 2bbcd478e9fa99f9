using System;

namespace Wirespeed.Core.Ingress;

/// <summary>
/// Receives datagrams from a packet source. Implemented by structs so that <c>Poll&lt;THandler&gt;</c> is specialised
/// and inlined by the JIT and NativeAOT.
/// </summary>
public interface IPacketHandler
{
    /// <summary>One UDP payload. The span is valid only during the call: copy what must outlive it.</summary>
    void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info);
}

/// <summary>A source of datagrams drained by polling (sockets, io_uring, AF_XDP, pcap, journal, simulator).</summary>
public interface IPacketSource
{
    /// <summary>Delivers at most <paramref name="limit"/> packets to <paramref name="handler"/>; returns how many. Never blocks.</summary>
    int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler;
}
