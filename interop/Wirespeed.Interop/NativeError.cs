using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Wirespeed.Interop;

/// <summary>
/// The negative <c>WS_E*</c> codes every export of wirespeed_native returns (mirrors wirespeed_native.h), and the one
/// place setup code turns a failed code into an exception.
/// </summary>
internal static class NativeError
{
    public const int Ok = 0;
    /// <summary>WS_EINVAL.</summary>
    public const int InvalidArgument = -1;
    /// <summary>WS_ENOMEM.</summary>
    public const int OutOfMemory = -2;
    /// <summary>WS_EPERM (EPERM or EACCES).</summary>
    public const int PermissionDenied = -3;
    /// <summary>WS_ENOSYS (ENOSYS or EOPNOTSUPP, or a feature missing at build time).</summary>
    public const int NotSupported = -4;
    /// <summary>WS_EAGAIN.</summary>
    public const int TryAgain = -5;
    /// <summary>WS_EIO.</summary>
    public const int IoError = -6;
    /// <summary>WS_EEXIST (EEXIST or EBUSY).</summary>
    public const int Exists = -7;
    /// <summary>WS_EOTHER: an errno with no closer mapping.</summary>
    public const int Other = -99;

    /// <summary>The C macro name of a code, e.g. "WS_ENOMEM".</summary>
    public static string Name(int code) => code switch
    {
        Ok => "WS_OK",
        InvalidArgument => "WS_EINVAL",
        OutOfMemory => "WS_ENOMEM",
        PermissionDenied => "WS_EPERM",
        NotSupported => "WS_ENOSYS",
        TryAgain => "WS_EAGAIN",
        IoError => "WS_EIO",
        Exists => "WS_EEXIST",
        Other => "WS_EOTHER",
        _ => $"WS_E?({code})",
    };

    /// <summary>A code with a short human description, e.g. "WS_ENOMEM (out of memory)".</summary>
    public static string Describe(int code) => code switch
    {
        Ok => "WS_OK (success)",
        InvalidArgument => "WS_EINVAL (invalid argument)",
        OutOfMemory => "WS_ENOMEM (out of memory or over a limit)",
        PermissionDenied => "WS_EPERM (permission denied)",
        NotSupported => "WS_ENOSYS (not supported by this kernel or build)",
        TryAgain => "WS_EAGAIN (resource temporarily unavailable)",
        IoError => "WS_EIO (I/O error)",
        Exists => "WS_EEXIST (already exists or busy)",
        Other => "WS_EOTHER (unmapped errno)",
        _ => $"WS_E?({code}) (unknown code)",
    };

    /// <summary>Setup only: throws <see cref="NativeException"/> naming <paramref name="operation"/> when rc is negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfFailed(int rc, string operation)
    {
        if (rc < 0) Throw(rc, operation);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(int rc, string operation) => throw new NativeException(operation, rc);
}

/// <summary>A native setup call failed; <see cref="Code"/> is the negative WS_E* code.</summary>
public sealed class NativeException : Exception
{
    internal NativeException(string operation, int code)
        : base($"{operation} failed: {NativeError.Describe(code)}")
    {
        Operation = operation;
        Code = code;
    }

    /// <summary>The native call that failed, e.g. "ws_sys_map_arena".</summary>
    public string Operation { get; }

    /// <summary>Negative WS_E* code.</summary>
    public int Code { get; }
}
