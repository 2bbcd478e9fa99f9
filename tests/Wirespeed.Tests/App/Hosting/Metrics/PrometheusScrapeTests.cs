using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Tests.App.Commands;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Hosting.Metrics;

/// <summary>
/// Against the real thing: a running <c>wirespeed demo</c> with monitor.metrics on loopback, its scrape checked by
/// <c>promtool check metrics</c>, then a Prometheus server (Debian's, own config and data directory, free ports,
/// a 1 s scrape interval) scraping it, and a counter and a histogram quantile read back through /api/v1/query.
/// Every wait is bounded; the server and the demo are stopped by the test.
/// </summary>
public class PrometheusScrapeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_scrapes_a_running_demo_and_answers_a_counter_and_a_histogram_quantile()
    {
        string promtool = PrometheusTools.Promtool();
        string? prometheus = PrometheusTools.Find("prometheus");
        Requires.That(prometheus is not null, "the prometheus server is not installed (Debian package prometheus; ./ws installs it)");

        string dir = Directory.CreateTempSubdirectory("ws-prom-").FullName;
        int metricsPort = PrometheusTools.FreePort(), serverPort = PrometheusTools.FreePort();
        string cfg = Path.Combine(dir, "wirespeed.json");
        File.WriteAllText(cfg, $$"""
            { "lines": [ { "port": 26781 } ], "books": { "maxInstruments": 128, "maxOrders": 65536 },
              "simulator": { "rate": 100000, "seconds": 20 },
              "monitor": { "intervalMs": 250, "metrics": "127.0.0.1:{{metricsPort}}" } }
            """);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var demo = Task.Run(() => CommandRunner.Run("demo", "--config", cfg), Ct);
        Process? server = null;
        try
        {
            // (a) The demo's own scrape passes promtool.
            string scrape = await Until(async () =>
            {
                var r = await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics", Ct);
                return r.IsSuccessStatusCode ? await r.Content.ReadAsStringAsync(Ct) : null;
            }, TimeSpan.FromSeconds(20), demo, "the demo's /metrics to answer 200");
            Assert.Contains("wirespeed_stage_latency_seconds_bucket{stage=\"end-to-end\"", scrape);
            var (code, lint) = PrometheusTools.Run(promtool, ["check", "metrics"], stdin: scrape);
            Assert.True(code == 0, "promtool check metrics:\n" + lint);
            // Every metric the shipped alert rules use is one this endpoint exports (a rule on a missing metric never fires).
            string rules = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "deploy", "prometheus", "wirespeed.rules.yml"));
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(rules, @"\bwirespeed_[a-z0-9_]+"))
                Assert.True(scrape.Contains("\n" + m.Value + "{", StringComparison.Ordinal) || scrape.Contains("\n" + m.Value + " ", StringComparison.Ordinal),
                    $"deploy/prometheus/wirespeed.rules.yml uses {m.Value}, which the endpoint does not export");

            // (b) A Prometheus server scrapes it; its API answers a counter and a quantile.
            File.WriteAllText(Path.Combine(dir, "prometheus.yml"), $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                scrape_configs:
                  - job_name: wirespeed
                    static_configs:
                      - targets: ['127.0.0.1:{metricsPort}']
                """);
            server = Process.Start(new ProcessStartInfo(prometheus!)
            {
                ArgumentList =
                {
                    "--config.file=" + Path.Combine(dir, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(dir, "data"),
                    "--web.listen-address=127.0.0.1:" + serverPort, "--log.level=warn",
                },
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir,
            })!;
            var serverLog = server.StandardError.ReadToEndAsync(Ct);
            _ = server.StandardOutput.ReadToEndAsync(Ct);

            async Task<double?> Query(string promql)
            {
                if (server.HasExited) throw new InvalidOperationException("prometheus exited: " + await serverLog);
                HttpResponseMessage r;
                try { r = await http.GetAsync($"http://127.0.0.1:{serverPort}/api/v1/query?query={Uri.EscapeDataString(promql)}", Ct); }
                catch (HttpRequestException) { return null; }   // not listening yet
                if (!r.IsSuccessStatusCode) return null;
                using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(Ct));
                var result = doc.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() == 0) return null;
                double v = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                return double.IsFinite(v) ? v : null;
            }

            double messages = await UntilValue(async () => await Query("sum(wirespeed_messages_total)") is double v && v > 0 ? v : (double?)null,
                TimeSpan.FromSeconds(30), demo, "Prometheus to hold wirespeed_messages_total");
            Assert.True(messages > 0);
            double p99 = await UntilValue(async () =>
                    await Query("histogram_quantile(0.99, sum by (le) (wirespeed_stage_latency_seconds_bucket{stage=\"service.main\"}))") is double v && v > 0 ? v : (double?)null,
                TimeSpan.FromSeconds(30), demo, "a histogram_quantile over wirespeed_stage_latency_seconds");
            Assert.InRange(p99, 1e-9, 10);   // seconds: a service time, not ns read as seconds
            double up = await UntilValue(() => Query("up{job=\"wirespeed\"}"), TimeSpan.FromSeconds(10), demo, "up{job=wirespeed}");
            Assert.Equal(1, up);
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(10_000);
            }
            server?.Dispose();
            // The demo ends by itself (simulator.seconds); a failed assertion above still waits for it, bounded.
            if (await Task.WhenAny(demo, Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None)) != demo) Assert.Fail("the demo did not end within 60 s");
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> UntilValue(Func<Task<double?>> probe, TimeSpan limit, Task<(int Code, string Out, string Err)> demo, string what)
    {
        string text = await Until(async () => await probe() is double v ? v.ToString("R", CultureInfo.InvariantCulture) : null, limit, demo, what);
        return double.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="probe"/> every 200 ms until it returns a value; fails after <paramref name="limit"/> or when the demo ends first.</summary>
    private static async Task<T> Until<T>(Func<Task<T?>> probe, TimeSpan limit, Task<(int Code, string Out, string Err)> demo, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (demo.IsCompleted)
            {
                var (code, output, err) = await demo;
                Assert.Fail($"the demo ended (exit {code}) before {what}:\n{output}\n{err}");
            }
            try
            {
                if (await probe() is { } value) return value;
            }
            catch (HttpRequestException) { }   // nothing listening yet
            catch (TaskCanceledException) when (!Ct.IsCancellationRequested) { }   // a request timed out
            await Task.Delay(200, Ct);
        }
        Assert.Fail($"waited {limit.TotalSeconds} s for {what}");
        return default!;
    }
}
