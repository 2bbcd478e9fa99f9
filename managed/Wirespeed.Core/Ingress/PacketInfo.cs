using System.Runtime.InteropServices;

namespace Wirespeed.Core.Ingress;

/// <summary>Where a received datagram came from. Blittable, passed by <c>in</c> reference.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct PacketInfo
{
    /// <summary>Receive timestamp, ns on the monotonic clock.</summary>
    public readonly long ReceiveTimestampNs;
    /// <summary>Feed line id.</summary>
    public readonly byte LineId;
    /// <summary>Which transport delivered it.</summary>
    public readonly PacketSourceKind Source;

    public PacketInfo(long receiveTimestampNs, byte lineId, PacketSourceKind source)
    {
        ReceiveTimestampNs = receiveTimestampNs;
        LineId = lineId;
        Source = source;
    }
}

/// <summary>The transport or file a packet came from.</summary>
public enum PacketSourceKind : byte
{
    InProcess = 0,
    Socket = 1,
    Uring = 2,
    Xdp = 3,
    Pcap = 4,
    ItchFile = 5,
    Journal = 6,
    Aeron = 7,
}
