namespace Wirespeed.Core.Memory;

/// <summary>How one arena is reserved at start-up. Checked once by <see cref="Validated"/>.</summary>
public sealed record ArenaOptions
{
    /// <summary>Largest arena accepted (1 TiB): anything bigger is a typo in a configuration file.</summary>
    public const long MaxSizeBytes = 1L << 40;

    /// <summary>Bytes to reserve. Rounded up to a whole huge page when <see cref="HugePages"/> is on. Default: 64 MiB.</summary>
    public long SizeBytes { get; init; } = 64L << 20;

    /// <summary>Try explicit huge pages (MAP_HUGETLB) first, else normal pages advised for transparent huge pages; the
    /// arena reports which it got and why. Default: true.</summary>
    public bool HugePages { get; init; } = true;

    /// <summary>mlock the arena so it is never paged out; a refusal is reported, not fatal. Default: true.</summary>
    public bool Lock { get; init; } = true;

    /// <summary>Fault every page in at start-up (a first touch costs ~9 us here). Default: true.</summary>
    public bool Prefault { get; init; } = true;

    /// <summary>This instance when every field is usable; otherwise throws naming the field and the fix.</summary>
    public ArenaOptions Validated()
    {
        if (SizeBytes <= 0)
            throw new MemoryConfigException(nameof(SizeBytes), $"{nameof(SizeBytes)}={SizeBytes} must be positive, e.g. {64L << 20} (64 MiB).");
        if (SizeBytes > MaxSizeBytes)
            throw new MemoryConfigException(nameof(SizeBytes), $"{nameof(SizeBytes)}={SizeBytes} exceeds {MaxSizeBytes} (1 TiB); check the units (bytes).");
        return this;
    }
}
