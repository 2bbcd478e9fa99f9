using System;
using System.Runtime.InteropServices;

namespace Wirespeed.Interop.Abi;

/// <summary>AF_XDP attach mode; mirrors <c>WS_XDP_MODE_*</c>.</summary>
public enum XdpMode : uint
{
    /// <summary>WS_XDP_MODE_SKB: generic mode, every device, one copy in the stack.</summary>
    Skb = 1,
    /// <summary>WS_XDP_MODE_DRV: the driver's native hook.</summary>
    Drv = 2,
}

/// <summary>Request flags; mirrors <c>WS_XDP_WANT_ZEROCOPY</c>, <c>WS_XDP_DETACH_LEFTOVER</c>.</summary>
[Flags]
internal enum XdpOpenFlags : uint
{
    None = 0,
    WantZeroCopy = 0x1,
    DetachLeftover = 0x2,
}

/// <summary>Result flags of ws_xdp_rx_open; mirrors <c>WS_XDP_ZEROCOPY</c> etc.</summary>
[Flags]
public enum XdpOpenResult : uint
{
    None = 0,
    /// <summary>Bound zero-copy.</summary>
    ZeroCopy = 0x1,
    /// <summary>Zero-copy was asked and refused by the driver: bound in copy mode.</summary>
    CopyFallback = 0x2,
    /// <summary>A program left attached by a killed process was detached first.</summary>
    Recovered = 0x4,
}

/// <summary>Mirrors <c>ws_xdp_rx_options_t</c> (48 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
internal unsafe struct XdpRxOptions
{
    public const int InterfaceNameBytes = 16;
    [FieldOffset(0)] public fixed byte InterfaceName[InterfaceNameBytes];
    [FieldOffset(16)] public uint QueueId;
    [FieldOffset(20)] public XdpMode Mode;
    [FieldOffset(24)] public XdpOpenFlags Flags;
    [FieldOffset(28)] public uint FrameCount;
    [FieldOffset(32)] public uint FrameSize;
    [FieldOffset(36)] public uint RingSize;

    /// <summary>Writes <paramref name="name"/> NUL-terminated; false when it does not fit IFNAMSIZ or is not ASCII.</summary>
    public bool TrySetInterface(string name)
    {
        if (name.Length == 0 || name.Length >= InterfaceNameBytes) return false;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] > 0x7e || name[i] <= 0x20) return false;
            InterfaceName[i] = (byte)name[i];
        }
        InterfaceName[name.Length] = 0;
        return true;
    }
}
