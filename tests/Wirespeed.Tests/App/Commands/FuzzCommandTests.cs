using System;
using System.IO;
using Wirespeed.Fuzzing.Targets;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

public class FuzzCommandTests
{
    [Fact]
    public void A_clean_run_prints_the_table_and_exits_0()
    {
        var (code, output, _) = CommandRunner.Run("fuzz", "--format", "journal", "--cases", "500", "--seed", "3");
        Assert.Equal(0, code);
        Assert.Matches(@"journal\s+500\s+\d+\s+\d+\s+0\s+0", output);
        Assert.Contains("journal: rejected by cause", output);
        Assert.Contains("corrupt_records", output);
        Assert.Contains("fuzz: no crash, no hang", output);
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--cases", "0")]
    [InlineData("--case-timeout", "-1")]
    [InlineData("--jobs", "-2")]
    [InlineData("--colour", "red")]
    public void Bad_options_are_usage_errors(string option, string value)
    {
        var (code, _, error) = CommandRunner.Run("fuzz", option, value);
        Assert.Equal(2, code);
        Assert.StartsWith("wirespeed: fuzz:", error);
    }

    [Fact]
    public void One_input_is_run_alone_and_its_outcome_named()
    {
        string file = Path.Combine(Path.GetTempPath(), $"ws-fuzz-{Guid.NewGuid():N}.hlog");
        try
        {
            File.WriteAllBytes(file, HlogTarget.WriteSeed(9, 1, "decode"));
            var (code, output, _) = CommandRunner.Run("fuzz", "--format", "hlog", "--input", file);
            Assert.Equal(0, code);
            Assert.Contains(": accepted (hlog)", output);

            File.WriteAllText(file, "Tag=decode,0.000,1.000,1.000,not-base64\n");
            (code, output, _) = CommandRunner.Run("fuzz", "--format", "hlog", "--input", file);
            Assert.Equal(0, code);
            Assert.Contains(": rejected (hlog): invalid: ", output);
        }
        finally { File.Delete(file); }
    }
}
