using System;
using System.IO;
using Wirespeed.Commands;
using Wirespeed.Configuration;
using Wirespeed.Hosting.Reporting;
using Xunit;

namespace Wirespeed.Tests.App.Hosting.Reporting;

/// <summary>Progress of a counted job (<see cref="CountProgress"/>), driven by a scripted clock.</summary>
public sealed class CountProgressTests
{
    private long _now;

    private void Calls(CountProgress p, long done, int calls = CountProgress.CheckEvery)
    {
        for (int i = 0; i < calls; i++) p.Update(done);
    }

    [Fact]
    public void Off_a_terminal_one_plain_line_per_interval_with_percent_count_and_rate()
    {
        var output = new StringWriter();
        var p = new CountProgress(output, terminal: false, 1_000_000, "messages", intervalNs: 1_000_000_000, nowNs: () => _now);
        Calls(p, 100_000);                           // the clock is read, but no interval has passed
        Assert.Equal(0, p.Printed);
        _now = 1_000_000_000;
        Calls(p, 250_000, CountProgress.CheckEvery - 1);   // an interval passed, but the clock is read only every CheckEvery calls
        Assert.Equal(0, p.Printed);
        p.Update(250_000);
        Assert.Equal(1, p.Printed);
        Assert.Equal("   25.0%     1.0 s         250,000 of 1,000,000 messages       250,000 messages/s" + Environment.NewLine, output.ToString());
        _now = 3_000_000_000;
        Calls(p, 2_000_000);                         // past the total (a feed packs whole packets): clamped at 100 %
        Assert.EndsWith("  100.0%     3.0 s       2,000,000 of 1,000,000 messages       875,000 messages/s" + Environment.NewLine, output.ToString());
        p.Finish();                                  // nothing drawn in place: no extra line
        Assert.Equal(2, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void On_a_terminal_a_bar_redrawn_in_place_then_ended_by_Finish()
    {
        var output = new StringWriter();
        var p = new CountProgress(output, terminal: true, 100, "messages", intervalNs: 10, nowNs: () => _now);
        _now = 10;
        Calls(p, 50);
        Assert.StartsWith("\r  [###############...............]  50.0%", output.ToString());
        Assert.DoesNotContain(Environment.NewLine, output.ToString());
        p.Finish();
        Assert.EndsWith(Environment.NewLine, output.ToString());
        p.Finish();                                  // once only
        Assert.Single(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_total_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CountProgress(TextWriter.Null, false, 0, "messages"));

    [Theory]
    [InlineData("itch50")]
    [InlineData("pcap")]
    public void Simulate_to_a_file_reports_progress_per_interval_and_still_writes_every_message(string format)
    {
        string dir = Directory.CreateTempSubdirectory("ws-sim-progress").FullName;
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            long ticks = 0;
            // Every clock read is one interval later: each read prints.
            var progress = new CountProgress(output, terminal: false, 200_000, "messages", intervalNs: 1, nowNs: () => ticks++);
            using var file = OutputFile.Check(Path.Combine(dir, "day." + format), "--out", OutputMode.Replace)!;
            Assert.Equal(0, SimulateCommand.ToFile(file, format, 200_000, ConfigLoader.Default(), output, error, progress));
            Assert.Equal("", error.ToString());
            Assert.True(progress.Printed >= 2, output.ToString());
            Assert.Contains("of 200,000 messages", output.ToString());
            Assert.Contains("simulate: wrote 200,", output.ToString());
            Assert.True(new FileInfo(file.Path).Length > 0);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
