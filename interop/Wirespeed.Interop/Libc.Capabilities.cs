using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

/// <summary>Mirrors <c>struct __user_cap_header_struct</c> (&lt;linux/capability.h&gt;): version and pid, 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapHeader
{
    public uint Version;
    public int Pid;
}

/// <summary>Mirrors <c>struct __user_cap_data_struct</c>: one 32-bit word of each set, 12 bytes (version 3 passes two).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapData
{
    public uint Effective;
    public uint Permitted;
    public uint Inheritable;
}

internal static unsafe partial class Libc
{
    /// <summary>_LINUX_CAPABILITY_VERSION_3: 64-bit sets, passed as two <see cref="CapData"/> words.</summary>
    internal const uint LinuxCapabilityVersion3 = 0x20080522;

    /// <summary>Wraps capget(2). Returns 0 or -1 with errno set.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "capget", SetLastError = true)]
    internal static partial int CapGet(CapHeader* header, CapData* data);
}

/// <summary>Linux capability numbers (&lt;linux/capability.h&gt;) that Wirespeed's transports ask about.</summary>
internal enum Capability
{
    NetAdmin = 12,
    NetRaw = 13,
    IpcLock = 14,
    SysAdmin = 21,
    Bpf = 39,
}

/// <summary>
/// The calling process's effective capabilities (capget(2)), for start-up checks that name what is missing instead of
/// asking for root. Cold path.
/// </summary>
internal static unsafe class ProcessCapabilities
{
    /// <summary>The effective set as a bit mask (bit N = capability N), or the errno of the failure.</summary>
    public static int TryReadEffective(out ulong mask)
    {
        CapHeader header = new() { Version = Libc.LinuxCapabilityVersion3, Pid = 0 };
        CapData* data = stackalloc CapData[2];
        if (Libc.CapGet(&header, data) != 0)
        {
            mask = 0;
            return Marshal.GetLastSystemError();
        }
        mask = data[0].Effective | ((ulong)data[1].Effective << 32);
        return 0;
    }

    /// <summary>True when the effective set holds <paramref name="capability"/> (false when it cannot be read).</summary>
    public static bool Has(Capability capability)
        => TryReadEffective(out ulong mask) == 0 && (mask & Bit(capability)) != 0;

    /// <summary>Those of <paramref name="wanted"/> the effective set lacks, by name (all of them when it cannot be read).</summary>
    public static List<string> Missing(ReadOnlySpan<Capability> wanted)
    {
        bool read = TryReadEffective(out ulong mask) == 0;
        var missing = new List<string>();
        foreach (var c in wanted)
            if (!read || (mask & Bit(c)) == 0) missing.Add(Name(c));
        return missing;
    }

    /// <summary>The kernel's name of <paramref name="capability"/>, e.g. CAP_NET_ADMIN.</summary>
    public static string Name(Capability capability) => capability switch
    {
        Capability.NetAdmin => "CAP_NET_ADMIN",
        Capability.NetRaw => "CAP_NET_RAW",
        Capability.IpcLock => "CAP_IPC_LOCK",
        Capability.SysAdmin => "CAP_SYS_ADMIN",
        Capability.Bpf => "CAP_BPF",
        _ => "CAP_" + ((int)capability).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static ulong Bit(Capability c) => 1UL << (int)c;
}
