using System;
using System.Linq;
using Wirespeed.Core.Pipeline;
using Xunit;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline.Topology;

namespace Wirespeed.Tests.Core.Pipeline;

public class PipelineOptionsTests
{
    private static readonly CpuList TwoCpus = CpuList.Parse("0-1");

    private static PipelineOptions TwoWorkers() => new()
    {
        Stages = [new() { Name = "book", BudgetNs = 5000 }, new() { Name = "classify", BudgetNs = 1000 }, new() { Name = "patterns" }],
        Workers =
        [
            new WorkerOptions { Name = "feed", Cpu = 0, Stages = ["book", "classify"] },
            new WorkerOptions { Name = "patterns", Cpu = 1, Stages = ["patterns"] },
        ],
    };

    private static string SingleError(PipelineOptions options)
    {
        var e = Assert.Throws<PipelineConfigException>(() => options.Validated(TwoCpus));
        return Assert.Single(e.Errors);
    }

    public static TheoryData<string, Func<PipelineOptions, PipelineOptions>, string> BadFields() => new()
    {
        { "null stage", o => o with { Stages = [o.Stages[0], null!, o.Stages[2]] }, "pipeline.stages[1] is null" },
        { "unnamed stage", o => o with { Stages = [o.Stages[0], new() { Name = " " }, o.Stages[2]] }, "pipeline.stages[1].name is empty" },
        { "unnamed source", o => o with { Source = new StageOptions { Name = "" } }, "pipeline.source.name is empty" },
        { "negative source budget", o => o with { Source = new StageOptions { Name = "decode", BudgetNs = -1 } }, "pipeline.source.budgetNs=-1: must be >= 0" },
        { "negative end-to-end budget", o => o with { EndToEndBudgetNs = -5 }, "pipeline.endToEndBudgetNs=-5: must be >= 0" },
        { "null worker", o => o with { Workers = [o.Workers[0], null!] }, "pipeline.workers[1] is null" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void A_bad_field_is_named_with_its_fix(string name, Func<PipelineOptions, PipelineOptions> spoil, string expected)
    {
        var e = Assert.Throws<PipelineConfigException>(() => spoil(TwoWorkers()).Validated(TwoCpus));
        Assert.True(e.Errors.Any(m => m.StartsWith(expected, StringComparison.Ordinal)), $"{name}: {string.Join(" | ", e.Errors)}");
    }

    [Fact]
    public void Valid_two_worker_layout_passes()
    {
        var options = TwoWorkers();
        Assert.Same(options, options.Validated(TwoCpus));
        Assert.Equal(1000, options.BudgetOf("classify"));
    }

    [Fact]
    public void A_single_worker_with_no_stage_list_runs_every_stage()
    {
        var options = new PipelineOptions { Stages = [new() { Name = "a" }, new() { Name = "b" }] };
        options.Validated(TwoCpus);
        Assert.Equal(new[] { "a", "b" }, options.StagesOf(0));
    }

    [Fact]
    public void Cpu_that_does_not_exist_is_named_with_the_cpus_that_do()
    {
        var options = TwoWorkers() with { Workers = [TwoWorkers().Workers[0], TwoWorkers().Workers[1] with { Cpu = 7 }] };
        Assert.StartsWith("pipeline.workers[1].cpu=7: this machine has 2 CPUs (0-1)", SingleError(options));
    }

    [Fact]
    public void Two_workers_on_one_cpu_are_refused()
    {
        var options = TwoWorkers() with { Workers = [TwoWorkers().Workers[0], TwoWorkers().Workers[1] with { Cpu = 0 }] };
        Assert.StartsWith("pipeline.workers[1].cpu=0: already used by pipeline.workers[0]", SingleError(options));
    }

    [Fact]
    public void Stages_out_of_chain_order_are_refused_with_the_expected_stage()
    {
        var options = TwoWorkers() with
        {
            Workers = [new WorkerOptions { Name = "a", Stages = ["classify", "book"] }, new WorkerOptions { Name = "b", Stages = ["patterns"] }],
        };
        var e = Assert.Throws<PipelineConfigException>(() => options.Validated(TwoCpus));
        Assert.Contains("pipeline.workers[0].stages[0]=\"classify\": out of chain order; the next stage here must be \"book\"", e.Errors[0]);
    }

    [Fact]
    public void Unknown_stage_names_the_known_ones()
    {
        var options = TwoWorkers() with
        {
            Workers = [TwoWorkers().Workers[0], TwoWorkers().Workers[1] with { Stages = ["patern"] }],
        };
        Assert.Equal("pipeline.workers[1].stages[0]=\"patern\": no such stage in pipeline.stages; known: book, classify, patterns.", SingleError(options));
    }

    [Fact]
    public void A_stage_no_worker_runs_is_named()
    {
        var options = TwoWorkers() with { Workers = [TwoWorkers().Workers[0]] };
        Assert.StartsWith("pipeline.stages[2]=\"patterns\": no worker runs it", SingleError(options));
    }

    [Fact]
    public void Ring_capacity_must_be_a_power_of_two_and_the_fix_is_suggested()
    {
        Assert.StartsWith("pipeline.ringCapacity=1000: must be a power of two >= 2, e.g. 1024", SingleError(TwoWorkers() with { RingCapacity = 1000 }));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_each_with_its_field()
    {
        var options = new PipelineOptions
        {
            Stages = [new() { Name = "a", BudgetNs = -5 }, new() { Name = "a" }],
            Workers = [new WorkerOptions { Name = "", BatchSize = 0, Stages = ["a"] }, new WorkerOptions { Name = "x", BatchSize = 8192, Stages = ["a"] }],
            RingCapacity = 3,
        };
        var e = Assert.Throws<PipelineConfigException>(() => options.Validated(TwoCpus));

        Assert.Contains(e.Errors, m => m.StartsWith("pipeline.stages[0].budgetNs=-5"));
        Assert.Contains(e.Errors, m => m.StartsWith("pipeline.stages[1].name=\"a\": already used by pipeline.stages[0]"));
        Assert.Contains(e.Errors, m => m.StartsWith("pipeline.ringCapacity=3"));
        Assert.Contains(e.Errors, m => m.StartsWith("pipeline.workers[0].name is empty"));
        Assert.Contains(e.Errors, m => m.StartsWith("pipeline.workers[0].batchSize=0: must be in 1..4096"));
        Assert.Contains(e.Errors, m => m.StartsWith("pipeline.workers[1].batchSize=8192"));
        Assert.Contains(e.Errors, m => m.StartsWith("pipeline.workers[1].stages[0]=\"a\": already run earlier in the chain"));
        Assert.All(e.Errors, m => Assert.Contains(m, e.Message));
    }

    [Fact]
    public void A_timed_source_needs_its_own_name()
    {
        Assert.StartsWith("pipeline.source.name=\"book\": also the name of pipeline.stages[0]",
            SingleError(TwoWorkers() with { Source = new StageOptions { Name = "book" } }));
    }

    [Fact]
    public void No_workers_is_refused()
    {
        Assert.StartsWith("pipeline.workers is empty", SingleError(TwoWorkers() with { Workers = [] }));
    }

    [Theory]
    [InlineData("0-1", new[] { 0, 1 }, "0-1")]
    [InlineData("0-3,8,10-11\n", new[] { 0, 1, 2, 3, 8, 10, 11 }, "0-3,8,10-11")]
    [InlineData("", new int[0], "")]
    [InlineData("5,2", new[] { 2, 5 }, "2,5")]
    public void Cpu_lists_parse_and_format_in_the_kernel_format(string text, int[] cpus, string formatted)
    {
        var list = CpuList.Parse(text);
        Assert.Equal(cpus, list.Cpus);
        Assert.Equal(formatted, list.ToString());
    }

    [Theory]
    [InlineData("a-1")]
    [InlineData("3-1")]
    [InlineData("-1")]
    public void Malformed_cpu_lists_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => CpuList.Parse(text));
    }
}
