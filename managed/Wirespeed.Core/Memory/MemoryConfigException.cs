using System;

namespace Wirespeed.Core.Memory;

/// <summary>A memory setting is unusable; the message names the setting and the fix (thrown at start-up only).</summary>
public sealed class MemoryConfigException : Exception
{
    public MemoryConfigException(string setting, string message) : base(message) => Setting = setting;

    /// <summary>The offending setting, e.g. "SizeBytes".</summary>
    public string Setting { get; }
}
