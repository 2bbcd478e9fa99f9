using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>
/// xUnit runs test classes in parallel, so two classes that open a live socket on the same UDP port see each other's
/// packets: a demo that meets another run's MoldUDP64 session counts it as foreign (or follows it and loses its own).
/// CI failed that way once (BinaryCommandTests and ForeignSessionFaultTests both on 26741). Live-socket tests take their
/// ports from 26500..26999, and each port there belongs to one test file; 26477/26478 (the configuration's defaults)
/// are only for tests that never open a socket.
/// </summary>
public sealed class LivePortTests
{
    private const int First = 26500, Last = 26999;

    [Fact]
    public void Each_live_test_port_is_used_by_one_test_file()
    {
        string root = Path.Combine(SharedData.RepoRoot, "tests", "Wirespeed.Tests");
        var owners = new Dictionary<int, SortedSet<string>>();
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(root, file);
            if (rel.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
                rel.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || rel == "Infrastructure/LivePortTests.cs") continue;
            foreach (Match m in Regex.Matches(File.ReadAllText(file), @"(?<![0-9.])(26[5-9][0-9]{2})(?![0-9])"))
            {
                int port = int.Parse(m.Value);
                if (port < First || port > Last) continue;
                if (!owners.TryGetValue(port, out var files)) owners[port] = files = new SortedSet<string>(StringComparer.Ordinal);
                files.Add(rel);
            }
        }
        Assert.True(owners.Count > 10, $"found only {owners.Count} live ports under {root}: is the scan still looking at the tests?");
        string[] shared = owners.Where(o => o.Value.Count > 1).Select(o => $"{o.Key}: {string.Join(", ", o.Value)}").ToArray();
        Assert.True(shared.Length == 0, "live test ports used by more than one test file (they run in parallel):\n" + string.Join("\n", shared));
    }
}
