namespace Wirespeed.Configuration;

public static partial class ConfigValidator
{
    /// <summary>The clock section: the library's rules (<see cref="Core.Time.ClockHealthOptions.Validated"/>), named on clock.*.</summary>
    internal static void ValidateClock(ClockConfig? c)
    {
        Require(c is not null, "clock", "section is null; remove it or write { }.");
        NotNull(c!.Device, "clock.device");
        Library("clock", c.ToOptions().Validated);
    }

    /// <summary>The supervisor section: the library's rules (<see cref="Core.Agents.SupervisorOptions.Validated"/>), named on supervisor.*.</summary>
    internal static void ValidateSupervisor(SupervisorConfig? s)
    {
        Require(s is not null, "supervisor", "section is null; remove it or write { }.");
        Library("supervisor", s!.ToOptions().Validated);
    }
}
