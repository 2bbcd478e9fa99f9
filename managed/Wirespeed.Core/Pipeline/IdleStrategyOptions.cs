using System;
using System.Collections.Generic;

namespace Wirespeed.Core.Pipeline;

/// <summary>Idle strategy of one worker (<c>pipeline.workers[i].idle</c>). Cold path.</summary>
public sealed record IdleStrategyOptions
{
    /// <summary>Which strategy. Default: BackOff (safe on a shared box; use BusySpin on an isolated core).</summary>
    public IdleStrategyKind Kind { get; init; } = IdleStrategyKind.BackOff;

    /// <summary>BackOff: pause-spins before yielding. Default: 100.</summary>
    public int MaxSpins { get; init; } = 100;

    /// <summary>BackOff: yields before sleeping. Default: 10.</summary>
    public int MaxYields { get; init; } = 10;

    /// <summary>BackOff: first sleep in ms. Default: 1.</summary>
    public int MinParkMs { get; init; } = 1;

    /// <summary>BackOff: longest sleep in ms (sleeps double up to it). Default: 1.</summary>
    public int MaxParkMs { get; init; } = 1;

    /// <summary>Appends one message per invalid field, each naming <paramref name="path"/>.field and the fix.</summary>
    public void Validate(string path, List<string> errors)
    {
        if (!Enum.IsDefined(Kind))
            errors.Add($"{path}.kind={(int)Kind}: unknown idle strategy; use one of BusySpin, Yield, BackOff.");
        if (MaxSpins < 0) errors.Add($"{path}.maxSpins={MaxSpins}: must be >= 0 (0 skips spinning).");
        if (MaxYields < 0) errors.Add($"{path}.maxYields={MaxYields}: must be >= 0 (0 skips yielding).");
        if (MinParkMs < 1) errors.Add($"{path}.minParkMs={MinParkMs}: must be >= 1 ms (sleeps are whole milliseconds).");
        if (MaxParkMs < MinParkMs) errors.Add($"{path}.maxParkMs={MaxParkMs}: must be >= minParkMs ({MinParkMs}).");
    }

    /// <summary>The strategy as a struct for the switching <see cref="ConfiguredIdleStrategy"/>.</summary>
    public ConfiguredIdleStrategy Create() => new(this);

    /// <summary>The BackOff struct these options describe.</summary>
    public BackOffIdleStrategy CreateBackOff() => new(MaxSpins, MaxYields, MinParkMs, MaxParkMs);
}
