using System;
using System.Runtime.InteropServices;

namespace Wirespeed.Interop.Handles;

/// <summary>
/// An AF_PACKET raw socket bound to one interface, for injecting hand-made Ethernet frames (malformed-frame tests and
/// tools). Needs CAP_NET_RAW. Cold path only.
/// </summary>
internal sealed unsafe class RawPacketSocket : SafeHandle
{
    private const int AfPacket = 17;
    private const int SockRaw = 3;
    private const ushort EthPAllNetworkOrder = 0x0300; // htons(ETH_P_ALL = 0x0003)

    private RawPacketSocket() : base((nint)(-1), ownsHandle: true) { }

    public override bool IsInvalid => (nint)handle < 0;

    /// <summary>Opens and binds to <paramref name="interfaceName"/>; throws with the errno on failure.</summary>
    public static RawPacketSocket Open(string interfaceName)
    {
        Abi.XdpRxOptions name = default;
        if (!name.TrySetInterface(interfaceName)) throw new ArgumentException($"bad interface name {interfaceName}", nameof(interfaceName));
        int ifindex = (int)Libc.IfNameToIndex(name.InterfaceName);
        if (ifindex == 0) throw new InvalidOperationException($"no interface {interfaceName}: errno {Marshal.GetLastSystemError()}");
        int fd = Libc.Socket(AfPacket, SockRaw, EthPAllNetworkOrder);
        if (fd < 0) throw new InvalidOperationException($"socket(AF_PACKET) failed: errno {Marshal.GetLastSystemError()}");
        var s = new RawPacketSocket();
        s.SetHandle(fd);
        byte* sll = stackalloc byte[20]; // struct sockaddr_ll
        new Span<byte>(sll, 20).Clear();
        *(ushort*)sll = AfPacket;
        *(ushort*)(sll + 2) = EthPAllNetworkOrder;
        *(int*)(sll + 4) = ifindex;
        if (Libc.Bind(fd, sll, 20) != 0)
        {
            int errno = Marshal.GetLastSystemError();
            s.Dispose();
            throw new InvalidOperationException($"bind(AF_PACKET, {interfaceName}) failed: errno {errno}");
        }
        return s;
    }

    /// <summary>Sends one whole frame; returns bytes sent or -errno.</summary>
    public int Send(ReadOnlySpan<byte> frame)
    {
        fixed (byte* p = frame)
        {
            nint n = Libc.Send((int)handle, p, (nuint)frame.Length, 0);
            return n >= 0 ? (int)n : -Marshal.GetLastSystemError();
        }
    }

    protected override bool ReleaseHandle() => Native.NetClose((int)handle) == NativeError.Ok;
}
