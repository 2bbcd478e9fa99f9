using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core;

/// <summary>Throw sites kept out of hot methods so those stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Argument(string name, string message) => throw new ArgumentException(message, name);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ArgumentNull(string name) => throw new ArgumentNullException(name);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);
}
