using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Interop;

/// <summary>The C# mirrors of wirespeed_native.h agree with the header, value for value (STYLE.md 3.9).</summary>
public sealed class NativeAbiTests
{
    private static readonly Dictionary<string, long> s_header = ParseHeader();

    private static Dictionary<string, long> ParseHeader()
    {
        string path = Path.Combine(SharedData.RepoRoot, "native", "include", "wirespeed_native.h");
        var defines = new Dictionary<string, long>();
        var re = new Regex(@"^#define\s+(WS_[A-Z0-9_]+)\s+\(?(-?(?:0x[0-9a-fA-F]+|\d+))u?\)?\s*(?:/\*.*)?$");
        foreach (string line in File.ReadAllLines(path))
        {
            Match m = re.Match(line.Trim());
            if (!m.Success) continue;
            string v = m.Groups[2].Value;
            bool negative = v.StartsWith('-');
            if (negative) v = v[1..];
            long value = v.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToInt64(v[2..], 16) : long.Parse(v);
            defines[m.Groups[1].Value] = negative ? -value : value;
        }
        return defines;
    }

    private static long Header(string name)
    {
        Assert.True(s_header.TryGetValue(name, out long v), $"{name} missing from wirespeed_native.h");
        return v;
    }

    [Fact]
    public void Error_codes_match_the_header()
    {
        Assert.Equal(NativeError.Ok, Header("WS_OK"));
        Assert.Equal(NativeError.InvalidArgument, Header("WS_EINVAL"));
        Assert.Equal(NativeError.OutOfMemory, Header("WS_ENOMEM"));
        Assert.Equal(NativeError.PermissionDenied, Header("WS_EPERM"));
        Assert.Equal(NativeError.NotSupported, Header("WS_ENOSYS"));
        Assert.Equal(NativeError.TryAgain, Header("WS_EAGAIN"));
        Assert.Equal(NativeError.IoError, Header("WS_EIO"));
        Assert.Equal(NativeError.Exists, Header("WS_EEXIST"));
        Assert.Equal(NativeError.Other, Header("WS_EOTHER"));
        Assert.Equal(Native.ExpectedAbiVersion, Header("WS_ABI_VERSION"));
    }

    [Fact]
    public void Every_error_code_has_its_own_name()
    {
        var names = new HashSet<string>();
        foreach (int code in new[] { 0, -1, -2, -3, -4, -5, -6, -7, -99 })
        {
            Assert.True(names.Add(NativeError.Name(code)), $"duplicate name for {code}");
            Assert.StartsWith(NativeError.Name(code), NativeError.Describe(code), StringComparison.Ordinal);
            Assert.Equal(Header(NativeError.Name(code)), code);
        }
    }

    [Fact]
    public void Map_flags_results_and_advice_match_the_header()
    {
        Assert.Equal((long)SysMapFlags.Huge, Header("WS_MAP_HUGE"));
        Assert.Equal((long)SysMapFlags.Populate, Header("WS_MAP_POPULATE"));
        Assert.Equal((long)SysMapFlags.Lock, Header("WS_MAP_LOCK"));
        Assert.Equal((long)SysMapResult.Huge, Header("WS_MAPPED_HUGE"));
        Assert.Equal((long)SysMapResult.Populated, Header("WS_MAPPED_POPULATED"));
        Assert.Equal((long)SysMapResult.Locked, Header("WS_MAPPED_LOCKED"));
        Assert.Equal((long)SysMapResult.HugeFallback, Header("WS_MAPPED_HUGE_FALLBACK"));
        Assert.Equal((long)SysMapResult.LockFailed, Header("WS_MAPPED_LOCK_FAILED"));
        Assert.Equal((long)SysMapResult.TransparentHuge, Header("WS_MAPPED_THP"));
        Assert.Equal(SysMapResultExtensions.HugeErrorShift, Header("WS_MAPPED_HUGE_ERROR_SHIFT"));
        Assert.Equal(SysMapResultExtensions.LockErrorShift, Header("WS_MAPPED_LOCK_ERROR_SHIFT"));
        Assert.Equal((long)SysAdvice.HugePage, Header("WS_ADVISE_HUGEPAGE"));
        Assert.Equal((long)SysAdvice.DontDump, Header("WS_ADVISE_DONTDUMP"));
        Assert.Equal((long)SysAdvice.DontFork, Header("WS_ADVISE_DONTFORK"));
    }

    [Fact]
    public void Result_reasons_unpack_to_negative_codes()
    {
        var r = (SysMapResult)((uint)SysMapResult.HugeFallback | (uint)SysMapResult.LockFailed | (2u << 8) | (3u << 16));
        Assert.Equal(NativeError.OutOfMemory, r.HugeError());
        Assert.Equal(NativeError.PermissionDenied, r.LockError());
        Assert.Equal(SysMapResult.HugeFallback | SysMapResult.LockFailed, r.Flags());
        Assert.Equal(0, SysMapResult.Populated.HugeError());
        Assert.Equal(NativeError.Other, ((SysMapResult)(99u << 8)).HugeError());
    }

    [Fact]
    public void ThrowIfFailed_names_the_operation_and_the_code()
    {
        NativeError.ThrowIfFailed(0, "ws_nothing");
        var e = Assert.Throws<NativeException>(() => NativeError.ThrowIfFailed(NativeError.OutOfMemory, "ws_sys_map_arena"));
        Assert.Equal(NativeError.OutOfMemory, e.Code);
        Assert.Equal("ws_sys_map_arena", e.Operation);
        Assert.Contains("ws_sys_map_arena", e.Message, StringComparison.Ordinal);
        Assert.Contains("WS_ENOMEM", e.Message, StringComparison.Ordinal);
    }
}
