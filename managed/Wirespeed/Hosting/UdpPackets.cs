using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Hosting;

/// <summary>
/// A struct face for the socket source, so the packet batch source specialises on it (one direct call per poll).
/// </summary>
public readonly struct UdpPackets : IPacketSource
{
    private readonly UdpSocketSource _source;

    public UdpPackets(UdpSocketSource source) => _source = source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        => _source.Poll(ref handler, limit);
}
