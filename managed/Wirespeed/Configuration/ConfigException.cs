using System;

namespace Wirespeed.Configuration;

/// <summary>The configuration is invalid; the message names the field and the fix.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string field, string message) : base($"{field}: {message}") => Field = field;

    /// <summary>The JSON path of the offending field, e.g. <c>lines[0].port</c>.</summary>
    public string Field { get; }
}
