using System;
using System.IO;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Interop;

/// <summary>The sys bindings reach the shim that the build copied next to the test binary.</summary>
public sealed unsafe class NativeSysTests
{
    private static void RequireShim()
    {
        Requires.That(NativeLibraryResolver.IsAvailable(out string reason), "native shim not built: " + reason);
    }

    [Fact]
    public void Shim_is_found_beside_the_test_binary_when_the_build_copied_it()
    {
        bool copied = File.Exists(Path.Combine(AppContext.BaseDirectory, "libwirespeed_native.so"));
        Requires.That(copied, "build/native did not exist when the tests were built (./ws builds it first)");
        Assert.True(NativeLibraryResolver.IsAvailable(out string reason), reason);
        Assert.Equal(Native.ExpectedAbiVersion, Native.AbiVersion());
    }

    [Fact]
    public void Errno_values_convert_to_ws_codes()
    {
        RequireShim();
        Assert.Equal(NativeError.Ok, Native.ErrorFromErrno(0));
        Assert.Equal(NativeError.OutOfMemory, Native.ErrorFromErrno(12));     // ENOMEM
        Assert.Equal(NativeError.InvalidArgument, Native.ErrorFromErrno(22)); // EINVAL
        Assert.Equal(NativeError.PermissionDenied, Native.ErrorFromErrno(13)); // EACCES
    }

    [Fact]
    public void Mapping_handle_maps_populates_and_unmaps()
    {
        RequireShim();
        const ulong size = 1 << 20;
        int rc = ArenaMappingHandle.TryMap(size, SysMapFlags.Populate, out ArenaMappingHandle? mapping);
        NativeError.ThrowIfFailed(rc, "ws_sys_map_arena");
        using (mapping)
        {
            Assert.NotNull(mapping);
            Assert.Equal(size, mapping!.Size);
            Assert.True(mapping.Result.HasFlag(SysMapResult.Populated), mapping.Result.ToString());
            Assert.Equal(0, (long)mapping.Pointer & 4095);
            ulong resident;
            Assert.Equal(NativeError.Ok, Native.SysResidentBytes(mapping.Pointer, size, &resident));
            Assert.Equal(size, resident);
            mapping.Pointer[size - 1] = 7;
        }
        Assert.True(mapping!.IsClosed);
    }

    [Fact]
    public void Bad_map_arguments_come_back_as_einval_not_exceptions()
    {
        RequireShim();
        Assert.Equal(NativeError.InvalidArgument, ArenaMappingHandle.TryMap(0, SysMapFlags.None, out var none));
        Assert.Null(none);
        Assert.Equal(NativeError.InvalidArgument, ArenaMappingHandle.TryMap(4096, (SysMapFlags)0x80, out _));
        Assert.Equal(NativeError.InvalidArgument, Native.SysAdvise(null, 4096, (int)SysAdvice.DontDump));
    }

    [Fact]
    public void Huge_page_size_is_reported()
    {
        RequireShim();
        ulong bytes;
        int rc = Native.SysHugePageSize(&bytes);
        if (rc == NativeError.NotSupported) Assert.Skip("kernel reports no Hugepagesize");
        Assert.Equal(NativeError.Ok, rc);
        Assert.True(bytes >= 2 << 20 && (bytes & (bytes - 1)) == 0, $"huge page size {bytes}");
    }
}
