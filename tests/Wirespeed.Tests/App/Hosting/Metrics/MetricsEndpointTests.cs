using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Core.Monitoring;
using Wirespeed.Hosting.Metrics;
using Wirespeed.Tests.App.Commands;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Hosting.Metrics;

/// <summary>
/// The /metrics endpoint on loopback: what it answers, that a scrape gets the text the monitor thread builds at its next
/// interval, and that monitor.metrics is checked at start-up (exit 3 naming the field).
/// </summary>
public class MetricsEndpointTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_scrape_gets_the_text_the_monitor_builds_and_other_requests_are_refused()
    {
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false });
        int builds = 0;
        using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0),
            _ => $"# TYPE wirespeed_builds_total counter\nwirespeed_builds_total {Interlocked.Increment(ref builds)}\n", intervalMs: 100);
        string url = $"http://{endpoint.Address}/metrics";

        // A stand-in monitor thread: an interval every 100 ms.
        using var stop = new CancellationTokenSource();
        var intervals = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) { endpoint.OnInterval(monitor); await Task.Delay(100, Ct); }
        }, Ct);
        try
        {
            var response = await s_http.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            string first = await response.Content.ReadAsStringAsync(Ct);
            string second = await s_http.GetStringAsync(url, Ct);
            Assert.NotEqual(first, second);   // each scrape waits for a fresh build
            int built = Volatile.Read(ref builds);
            await Task.Delay(500, Ct);            // five intervals without a scrape: nothing is built
            Assert.InRange(Volatile.Read(ref builds), built, built + 1);

            Assert.Equal(HttpStatusCode.NotFound, (await s_http.GetAsync($"http://{endpoint.Address}/", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await s_http.PostAsync(url, new StringContent("x"), Ct)).StatusCode);
            Assert.True(endpoint.Scrapes >= 2);
        }
        finally
        {
            stop.Cancel();
            await intervals;
        }
    }

    [Fact]
    public async Task Before_the_first_interval_a_scrape_is_told_there_are_no_figures_yet()
    {
        using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0), _ => "x\n", intervalMs: 10);
        var response = await s_http.GetAsync($"http://{endpoint.Address}/metrics", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("monitor has not completed an interval", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("127.0.0.1:9464", true)]
    [InlineData(":9464", true)]
    [InlineData("[::1]:9464", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("localhost:9464", false)]
    [InlineData("127.0.0.1:70000", false)]
    [InlineData(":x", false)]
    public void The_address_is_host_colon_port(string text, bool ok)
        => Assert.Equal(ok, Wirespeed.Configuration.ConfigValidator.TryParseMetricsAddress(text, out _));

    [Fact]
    public void A_bad_or_busy_address_fails_at_start_up_naming_monitor_metrics()
    {
        string dir = Directory.CreateTempSubdirectory("ws-metrics-").FullName;
        var busy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            string cfg = Path.Combine(dir, "c.json");
            File.WriteAllText(cfg, """{ "monitor": { "metrics": "localhost:9464" } }""");
            var (code, output, err) = CommandRunner.Run("check-config", cfg);
            Assert.Equal(3, code);
            Assert.Contains("monitor.metrics", output + err);

            File.WriteAllText(cfg, $$"""{ "lines": [ { "port": 26782 } ], "monitor": { "metrics": "{{busy.LocalEndpoint}}" } }""");
            (code, output, err) = CommandRunner.Run("demo", "--config", cfg, "--seconds", "1");
            Assert.True(code == 3, output + err);
            Assert.Contains("monitor.metrics", output + err);
            Assert.Contains("cannot listen there", output + err);
        }
        finally
        {
            busy.Stop();
            Directory.Delete(dir, recursive: true);
        }
    }
}
