using System;
using System.IO;
using System.Linq;
using Wirespeed.Hosting;
using Xunit;

namespace Wirespeed.Tests.Integration;

public sealed class SystemdHostChecksTests
{
    [Fact]
    public void Cpu_lists_parse_ranges_and_single_cores()
    {
        Assert.Equal(new[] { 0, 2, 3, 4, 8 }, SystemdHostChecks.ParseCpuList("0,2-4,8\n").Order());
        Assert.Empty(SystemdHostChecks.ParseCpuList(""));
        Assert.Equal(new[] { 5 }, SystemdHostChecks.ParseCpuList("x,5,3-1"));
    }

    [Fact]
    public void Pinned_cores_outside_the_isolated_set_are_named_in_the_warning()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ws-isolated-{Guid.NewGuid():N}");
        File.WriteAllText(path, "2-3\n");
        try
        {
            Assert.Equal(new[] { 1, 4 }, SystemdHostChecks.NotIsolated([1, 2, 3, 4], path));
            Assert.Contains("1,4", SystemdHostChecks.Warning([1, 2, 3, 4], path));
            Assert.Null(SystemdHostChecks.Warning([2, 3], path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_isolated_file_means_nothing_is_isolated()
    {
        Assert.Equal(new[] { 0 }, SystemdHostChecks.NotIsolated([0], "/nonexistent/isolated"));
    }
}
