using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace Wirespeed.Interop;

internal static unsafe partial class Native
{
    // Runs before the first call into any binding of this class, so every LibraryImport here goes through the resolver.
    // The only static constructor of Native: other partial files must not add one.
    static Native() => NativeLibraryResolver.Register();
}

/// <summary>
/// Finds libwirespeed_native.so next to the executable or test binary (where the build copies it), or at the path in
/// <c>WIRESPEED_NATIVE_LIB</c>; registered once per process. Statically linked NativeAOT builds never consult it.
/// </summary>
internal static class NativeLibraryResolver
{
    /// <summary>Environment variable naming the shim's full path; overrides the search.</summary>
    public const string PathVariable = "WIRESPEED_NATIVE_LIB";

    private const string FileName = "libwirespeed_native.so";
    private static int s_registered;
    private static int s_probed;          // 0 unknown, 1 available, -1 missing
    private static string s_reason = "";

    /// <summary>Registers the resolver for this assembly; later calls do nothing.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) != 0) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
    }

    /// <summary>
    /// Cold path: whether the shim loads and has the expected ABI version. When false, <paramref name="reason"/> says
    /// what is missing and how to build it; callers fall back (managed memory, sockets) and print the reason.
    /// </summary>
    public static bool IsAvailable(out string reason)
    {
        if (Volatile.Read(ref s_probed) == 0) Probe();
        reason = s_reason;
        return s_probed > 0;
    }

    private static void Probe()
    {
        int state;
        string reason;
        try
        {
            int version = Native.AbiVersion();
            state = version == Native.ExpectedAbiVersion ? 1 : -1;
            reason = state > 0 ? $"{FileName} ABI {version} loaded"
                : $"{FileName} has ABI {version}, this build expects {Native.ExpectedAbiVersion}: rebuild native/ (cmake --build build/native)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            state = -1;
            reason = $"{FileName} not found next to {AppContext.BaseDirectory} nor at ${PathVariable} " +
                     $"({e.GetType().Name}): build it with 'cmake -S . -B build/native && cmake --build build/native' and rebuild";
        }
        s_reason = reason;
        Volatile.Write(ref s_probed, state);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Libraries.WirespeedNative) return IntPtr.Zero; // libc and others: default probing
        string? env = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(env) && NativeLibrary.TryLoad(env, out IntPtr fromEnv)) return fromEnv;
        if (NativeLibrary.TryLoad(Path.Combine(AppContext.BaseDirectory, FileName), out IntPtr beside)) return beside;
        string? exeDir = Path.GetDirectoryName(Environment.ProcessPath);
        if (exeDir != null && NativeLibrary.TryLoad(Path.Combine(exeDir, FileName), out IntPtr besideExe)) return besideExe;
        return IntPtr.Zero; // let the runtime's default search have a go (LD_LIBRARY_PATH, rpath)
    }
}
