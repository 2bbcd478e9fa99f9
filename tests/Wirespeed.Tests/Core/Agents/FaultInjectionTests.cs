using System;
using Wirespeed.Core.Agents;
using Xunit;

namespace Wirespeed.Tests.Core.Agents;

/// <summary>The WIRESPEED_TEST_INJECT syntax (NAME:throw[@N] | NAME:stall[@N]) and the one-shot firing of the hook.</summary>
public class FaultInjectionTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_spec_means_no_injection(string? spec) => Assert.Null(FaultInjection.Parse(spec));

    [Theory]
    [InlineData("patterns.0:throw", "patterns.0", InjectedFault.Throw, 0L)]
    [InlineData("feed:stall", "feed", InjectedFault.Stall, 0L)]
    [InlineData("patterns.1:throw@5000", "patterns.1", InjectedFault.Throw, 5000L)]
    [InlineData("recorder:stall@7", "recorder", InjectedFault.Stall, 7L)]
    public void A_valid_spec_names_the_worker_the_fault_and_the_work_before_it(string spec, string worker, InjectedFault fault, long after)
    {
        var parsed = FaultInjection.Parse(spec);
        Assert.NotNull(parsed);
        using var injection = parsed.Value.Injection;
        Assert.Equal(worker, parsed.Value.Worker);
        Assert.Equal(fault, injection.Fault);
        Assert.Equal(after, injection.AfterWork);
        Assert.False(injection.Fired);
    }

    [Theory]
    [InlineData("throw", "must be NAME:throw[@N] or NAME:stall[@N]")]
    [InlineData(":throw", "must be NAME:throw[@N] or NAME:stall[@N]")]
    [InlineData("feed:throw@", "the count after @ must be a whole number")]
    [InlineData("feed:throw@-1", "the count after @ must be a whole number")]
    [InlineData("feed:throw@x", "the count after @ must be a whole number")]
    [InlineData("feed:crash", "the fault must be throw or stall")]
    [InlineData("feed:crash@3", "the fault must be throw or stall")]
    public void A_malformed_spec_is_refused_saying_what_is_wrong(string spec, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => FaultInjection.Parse(spec));
        Assert.Contains($"'{spec}'", e.Message);
        Assert.Contains(why, e.Message);
        Assert.Equal("spec", e.ParamName);
    }
}
