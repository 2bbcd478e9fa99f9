using System.Collections.Generic;

namespace Wirespeed.Fuzzing;

/// <summary>
/// One format under fuzzing: its seed corpus, its structured mutations and the production parsing path it drives.
/// <see cref="Run"/> returns null when the input was accepted whole, or the cause it was rejected for (a parser's own
/// counter or error kind). Any exception escaping <see cref="Run"/> is a crash, i.e. a bug in the production code.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>config | pcap | itch50 | hlog | journal | fix.</summary>
    string Format { get; }

    /// <summary>File extension of saved inputs, e.g. ".json".</summary>
    string Extension { get; }

    /// <summary>Real inputs the mutations start from.</summary>
    IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>Format-aware mutations, or null for byte-level ones only.</summary>
    IStructuredMutations? Structured { get; }

    /// <summary>Longest input the mutator produces.</summary>
    int MaxBytes { get; }

    /// <summary>Runs <paramref name="input"/> through the production path: null when accepted, else the rejection cause.</summary>
    string? Run(byte[] input);
}
