namespace Wirespeed.Interop;

/// <summary>Names of the native libraries Wirespeed binds to.</summary>
internal static class Libraries
{
    /// <summary>The C shim built from native/ by CMake (libwirespeed_native.so).</summary>
    internal const string WirespeedNative = "wirespeed_native";

    /// <summary>glibc. Bound by its soname so the loader does not probe ~20 paths (PLATFORM.md).</summary>
    internal const string Libc = "libc.so.6";
}
