using System;

namespace Wirespeed.Core.Memory;

/// <summary>Start-up carved more from an arena than it holds. The message names the arena and the size it needs.</summary>
public sealed class ArenaExhaustedException : Exception
{
    public ArenaExhaustedException(string arena, long requested, int alignment, long used, long size)
        : base($"arena '{arena}' ({size} bytes, {used} used) cannot carve {requested} bytes at alignment {alignment}: " +
               $"raise its SizeBytes to at least {RequiredSize(used, requested, alignment)}.")
    {
        Arena = arena;
        RequiredBytes = RequiredSize(used, requested, alignment);
    }

    /// <summary>Name of the arena.</summary>
    public string Arena { get; }

    /// <summary>Smallest arena size that would have satisfied every request so far plus this one.</summary>
    public long RequiredBytes { get; }

    private static long RequiredSize(long used, long requested, int alignment)
        => ((used + alignment - 1) & ~(long)(alignment - 1)) + requested;
}
