using System.IO;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Deploy;

/// <summary>deploy/prometheus: the alert rules are valid (promtool check rules) and pass their unit tests (promtool test rules).</summary>
public class PrometheusRulesTests
{
    private static string Dir => Path.Combine(SharedData.RepoRoot, "deploy", "prometheus");

    [Fact]
    public void The_alert_rules_are_valid()
    {
        string promtool = PrometheusTools.Promtool();
        var (code, output) = PrometheusTools.Run(promtool, ["check", "rules", "wirespeed.rules.yml"], workingDirectory: Dir);
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public void The_alert_rules_pass_their_unit_tests()
    {
        string promtool = PrometheusTools.Promtool();
        foreach (string test in Directory.GetFiles(Dir, "*.test.yml"))
        {
            var (code, output) = PrometheusTools.Run(promtool, ["test", "rules", Path.GetFileName(test)], workingDirectory: Dir);
            Assert.True(code == 0, $"{test}:\n{output}");
            Assert.Contains("SUCCESS", output);
        }
        Assert.NotEmpty(Directory.GetFiles(Dir, "*.test.yml"));
    }
}
