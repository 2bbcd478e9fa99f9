using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

internal static unsafe partial class Native
{
    /// <summary>ABI version this assembly was written against; must equal <c>WS_ABI_VERSION</c> of the loaded shim.</summary>
    internal const int ExpectedAbiVersion = 2;

    /// <summary>Wraps ws_abi_version. Returns WS_ABI_VERSION of the loaded shim.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_abi_version")]
    internal static partial int AbiVersion();

    /// <summary>Wraps ws_error_from_errno. Returns the WS_E* code for an errno value.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_error_from_errno")]
    internal static partial int ErrorFromErrno(int errno);
}
