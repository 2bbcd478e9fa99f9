using System;
using System.Runtime.InteropServices;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Interop.Handles;

/// <summary>Owns a UDP socket fd opened by <c>ws_net_udp_open</c>; releasing it closes the fd.</summary>
internal sealed unsafe class UdpSocketHandle : SafeHandle
{
    private UdpSocketHandle() : base((nint)(-1), ownsHandle: true) { }

    public override bool IsInvalid => (nint)handle < 0; // fd 0 is valid

    /// <summary>The raw fd; valid until Dispose.</summary>
    public int Fd => (int)handle;

    /// <summary>SO_RCVBUF (receiver) or SO_SNDBUF (sender) as the kernel reports it: twice the usable size on Linux.</summary>
    public int GrantedBufferBytes { get; private set; }

    /// <summary>Cold path: opens, sizes, binds or connects, joins. Throws <see cref="NativeException"/> on failure.</summary>
    public static UdpSocketHandle Open(in UdpOpen options)
    {
        UdpOpen o = options;
        int fd = -1, granted = 0;
        NativeError.ThrowIfFailed(Native.NetUdpOpen(&o, &fd, &granted), "ws_net_udp_open");
        var h = new UdpSocketHandle { GrantedBufferBytes = granted };
        h.SetHandle(fd);
        return h;
    }

    /// <summary>Host-order port the socket is bound to (getsockname), for receivers opened on port 0.</summary>
    public int LocalPort()
    {
        byte* addr = stackalloc byte[16];
        uint len = 16;
        if (Libc.GetSockName(Fd, addr, &len) != 0) return -1;
        return addr[2] << 8 | addr[3];
    }

    /// <summary>sendmmsg of descriptors [start, start+count) over <paramref name="staging"/> (pinned or not: fixed here).
    /// Returns the number sent or a negative <see cref="NativeError"/>. Never blocks.</summary>
    public int SendBatch(byte[] staging, TxDesc[] descs, int start, int count)
    {
        if ((uint)start > (uint)descs.Length || (uint)count > (uint)(descs.Length - start)) return NativeError.InvalidArgument;
        fixed (byte* b = staging)
        fixed (TxDesc* d = descs)
            return Native.NetSendMmsg(Fd, b, d + start, (uint)count);
    }

    protected override bool ReleaseHandle() => Native.NetClose((int)handle) == NativeError.Ok;
}
