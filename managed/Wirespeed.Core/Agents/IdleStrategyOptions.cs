using System;
using System.Collections.Generic;

namespace Wirespeed.Core.Agents;

/// <summary>Idle strategy of one worker (<c>pipeline.workers[i].idle</c>). Cold path.</summary>
public sealed record IdleStrategyOptions
{
    /// <summary>Which strategy. Default: BackOff (safe on a shared box; use BusySpin on an isolated core).</summary>
    public IdleStrategyKind Kind { get; init; } = IdleStrategyKind.BackOff;

    /// <summary>BackOff: pause-spins before yielding. Default: 100.</summary>
    public int MaxSpins { get; init; } = 100;

    /// <summary>BackOff: yields before sleeping. Default: 10.</summary>
    public int MaxYields { get; init; } = 10;

    /// <summary>BackOff: first sleep in µs. Default: 20.</summary>
    public int MinParkUs { get; init; } = 20;

    /// <summary>
    /// BackOff: longest sleep in µs (sleeps double up to it). Default: 160: the worst wake-up latency an idle worker adds
    /// to the first event after a quiet spell, at the price of about 6,000 wake-ups a second while idle.
    /// </summary>
    public int MaxParkUs { get; init; } = 160;

    /// <summary>Appends one message per invalid field, each naming <paramref name="path"/>.field and the fix.</summary>
    public void Validate(string path, List<string> errors)
    {
        if (!Enum.IsDefined(Kind))
            errors.Add($"{path}.kind={(int)Kind}: unknown idle strategy; use one of BusySpin, Yield, BackOff.");
        if (MaxSpins < 0) errors.Add($"{path}.maxSpins={MaxSpins}: must be >= 0 (0 skips spinning).");
        if (MaxYields < 0) errors.Add($"{path}.maxYields={MaxYields}: must be >= 0 (0 skips yielding).");
        if (MinParkUs < 1) errors.Add($"{path}.minParkUs={MinParkUs}: must be >= 1 µs.");
        if (MaxParkUs < MinParkUs) errors.Add($"{path}.maxParkUs={MaxParkUs}: must be >= minParkUs ({MinParkUs}).");
    }

    /// <summary>The strategy as a struct for the switching <see cref="ConfiguredIdleStrategy"/>.</summary>
    public ConfiguredIdleStrategy Create() => new(this);

    /// <summary>The BackOff struct these options describe.</summary>
    public BackOffIdleStrategy CreateBackOff() => new(MaxSpins, MaxYields, MinParkUs, MaxParkUs);
}
