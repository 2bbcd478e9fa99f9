using System;
using System.Runtime.InteropServices;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Interop.Handles;

/// <summary>
/// Owns one mapping made by <c>ws_sys_map_arena</c>; releasing it unmaps the range. The pointer stays valid until
/// Dispose: owners (arenas) must stop every thread that uses the memory before disposing.
/// </summary>
internal sealed unsafe class ArenaMappingHandle : SafeHandle
{
    private ArenaMappingHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    /// <summary>Mapped length in bytes (what unmap is given).</summary>
    public ulong Size { get; private set; }

    /// <summary>What the kernel granted: huge pages, populated, locked, and the reasons for any refusal.</summary>
    public SysMapResult Result { get; private set; }

    /// <summary>Start of the mapping (page aligned, or huge-page aligned when <see cref="SysMapResult.Huge"/>).</summary>
    public byte* Pointer => (byte*)handle;

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Maps <paramref name="size"/> bytes. Returns 0 and the handle, or a negative <see cref="NativeError"/>.</summary>
    public static int TryMap(ulong size, SysMapFlags flags, out ArenaMappingHandle? mapping)
    {
        void* addr = null;
        uint result = 0;
        int rc = Native.SysMapArena(size, (uint)flags, &addr, &result);
        if (rc != NativeError.Ok)
        {
            mapping = null;
            return rc;
        }
        mapping = new ArenaMappingHandle { Size = size, Result = (SysMapResult)result };
        mapping.SetHandle((IntPtr)addr);
        return rc;
    }

    protected override bool ReleaseHandle() => Native.SysUnmapArena((void*)handle, Size) == NativeError.Ok;
}
