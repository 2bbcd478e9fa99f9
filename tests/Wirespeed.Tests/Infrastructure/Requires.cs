using System;
using Xunit;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>
/// Preconditions of tests that need root or a kernel feature. Outside CI a missing precondition skips the test with
/// the reason; under <c>CI=true</c> it fails, because CI runs as root on a kernel that has what the tests need.
/// </summary>
public static class Requires
{
    /// <summary>True when the environment variable CI is "true" (any case).</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the process runs as root (effective uid 0).</summary>
    public static bool IsRoot => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";

    /// <summary>Skips (or, under CI, fails) when <paramref name="condition"/> is false.</summary>
    public static void That(bool condition, string reason)
    {
        if (condition) return;
        if (InCi) Assert.Fail("CI=true but this test cannot run: " + reason);
        Assert.Skip(reason);
    }

    /// <summary>Skips (or, under CI, fails) unless running as root.</summary>
    public static void Root(string why) => That(IsRoot, "needs root: " + why);
}
