using Wirespeed.Configuration;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Time;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>The clock and supervisor sections: parsed once into the library's options, every bad value refused naming its field.</summary>
public class ClockSupervisorConfigTests
{
    [Fact]
    public void The_sections_map_onto_the_library_options_and_their_defaults_are_the_librarys()
    {
        var c = ConfigLoader.Parse("""
            { "clock": { "source": "ptp", "device": "/dev/ptp1", "ptpUtcOffsetSeconds": 0, "stepThresholdNs": 100000, "driftThresholdNs": 1000000 },
              "supervisor": { "policy": "fail", "deadlineMs": 500 } }
            """);
        var clock = c.Clock.ToOptions();
        Assert.Equal((ClockSourceKind.Ptp, "/dev/ptp1", 0, 100_000L, 1_000_000L), (clock.Source, clock.Device, clock.PtpUtcOffsetSeconds, clock.StepThresholdNs, clock.DriftThresholdNs));
        Assert.Equal(new ClockHealthOptions().IntervalMs, clock.IntervalMs);
        var supervisor = c.Supervisor.ToOptions();
        Assert.Equal((WorkerFailurePolicy.Fail, 500, new SupervisorOptions().IntervalMs), (supervisor.Policy, supervisor.DeadlineMs, supervisor.IntervalMs));
        Assert.Equal(new ClockHealthOptions(), new ClockConfig().ToOptions());
        Assert.Equal(new SupervisorOptions(), new SupervisorConfig().ToOptions());
    }

    [Theory]
    [InlineData("""{ "clock": { "source": "gps" } }""", "clock.source", "'gps' is not one of: realtime, ptp")]
    [InlineData("""{ "clock": { "source": 1 } }""", "clock.source", "realtime, ptp")]
    [InlineData("""{ "clock": { "source": "ptp", "device": "/dev/null" } }""", "clock.device", "PTP hardware clock such as /dev/ptp0")]
    [InlineData("""{ "clock": { "stepThresholdNs": 5 } }""", "clock.stepThresholdNs", "1000..60000000000")]
    [InlineData("""{ "clock": { "driftThresholdNs": 0 } }""", "clock.driftThresholdNs", "1000..3600000000000")]
    [InlineData("""{ "clock": { "intervalMs": 0 } }""", "clock.intervalMs", "1..10000")]
    [InlineData("""{ "clock": { "suspectHoldMs": -1 } }""", "clock.suspectHoldMs", "0..3600000")]
    [InlineData("""{ "clock": { "ptpUtcOffsetSeconds": 400 } }""", "clock.ptpUtcOffsetSeconds", "37 for a PHC in TAI")]
    [InlineData("""{ "supervisor": { "policy": "pray" } }""", "supervisor.policy", "'pray' is not one of: restart, fail")]
    [InlineData("""{ "supervisor": { "deadlineMs": 1 } }""", "supervisor.deadlineMs", "10..600000")]
    [InlineData("""{ "supervisor": { "deadlineMs": 100, "intervalMs": 500 } }""", "supervisor.intervalMs", "a stall is only seen at a check")]
    [InlineData("""{ "supervisor": { "restartGraceMs": -5 } }""", "supervisor.restartGraceMs", "0..60000")]
    public void A_bad_value_fails_at_start_up_naming_the_field_and_the_fix(string json, string field, string fix)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.StartsWith(field, e.Message);
        Assert.Contains(fix, e.Message);
    }
}
