using System;
using System.IO;
using System.Linq;
using System.Threading;
using Wirespeed.Commands;
using Wirespeed.Configuration;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// <c>wirespeed run</c>'s SIGHUP handler (<see cref="RunCommand.Reload"/>) on a running feed host: a bad breakers section
/// is refused with the field named while the old settings keep running; a good one reaches the breaker stage and
/// changes what trips.
/// </summary>
public class BreakerReloadTests
{
    private const long Messages = 600_000;

    /// <summary>A flash crash through a host built from <paramref name="configPath"/>; <paramref name="beforeTraffic"/> runs once the workers are up, before the first packet.</summary>
    private static FeedHost Run(string configPath, Action<FeedHost>? beforeTraffic)
    {
        var config = ConfigLoader.Load(configPath);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 11, Instruments = 32, Sectors = 4, Scenario = SimScenario.FlashCrash }),
            "WIRESPEED1", 1400, SimTimestampMode.Virtual, Messages);
        var blob = PacketBlob.Generate(feed, Messages);
        var paced = new PacedBlobState(blob, 1e12, 0);
        var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), new PacedBlobPackets(paced), 1464, measureOneWay: false, 0);
        host.Start();
        beforeTraffic?.Invoke(host);
        HostRun.UntilDelivered(host, [paced], blob.Messages);
        return host;
    }

    private static WirespeedConfig Compressed()
    {
        var c = ConfigLoader.Parse("""{ "books": { "maxInstruments": 128, "maxOrders": 262144 }, "pipeline": { "topology": "single", "workers": [ { "name": "feed", "idle": "yield" }, { "name": "deliver", "idle": "yield" } ] } }""");
        c.Breakers = BreakerSections.Of(SimulatedDayBreakers.For(c.Breakers.ToOptions()));   // written into the file: run applies no profile
        return c;
    }

    [Fact]
    public void Sighup_reload_reaches_the_breaker_stage_and_a_refused_one_leaves_it_alone()
    {
        string dir = Directory.CreateTempSubdirectory("ws-brk-reload").FullName;
        try
        {
            string path = Path.Combine(dir, "c.json");
            var start = Compressed();
            File.WriteAllText(path, ConfigLoader.ToJson(start));

            using (var baseline = Run(path, null))
                Assert.True(baseline.Priority.Breakers.TripsBy(BreakerDetector.Volatility) > 0, "the crash trips volatility under the start-up settings");

            var output = new StringWriter();
            var error = new StringWriter();
            using var host = Run(path, h =>
            {
                // 1. Refused by the validator (exit above entry) and 2. by the running breakers (table size): v1 stays.
                var bad = Compressed();
                bad.Breakers.Volatility.Thresholds = BreakerSections.Of(new LevelThresholds(0.06, 0.04, 0.12, 0.08, 0.2, 0.25));
                File.WriteAllText(path, ConfigLoader.ToJson(bad));
                Assert.False(RunCommand.Reload(path, h, output, error));
                var resized = Compressed();
                resized.Breakers.MaxSectors = 32;
                File.WriteAllText(path, ConfigLoader.ToJson(resized));
                Assert.False(RunCommand.Reload(path, h, output, error));
                // 3. Accepted: volatility off, a shorter step-down window.
                var good = Compressed();
                good.Breakers.Volatility.Enabled = false;
                good.Breakers.StepDownWindowNs = 100_000_000;
                File.WriteAllText(path, ConfigLoader.ToJson(good));
                Assert.True(RunCommand.Reload(path, h, output, error), error.ToString());
            });

            string e = error.ToString(), o = output.ToString();
            Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: breakers.volatility.haltedExit: value 0.25", e);
            Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: breakers.maxSectors=32: cannot change at run time (running with 64)", e);
            Assert.Contains("breaker settings v2 replace v1 at the breaker stage's next event (2 changed)", o);
            Assert.Contains("breakers v2: breakers.volatility.enabled true -> false", o);
            Assert.Contains("breakers v2: breakers.stepDownWindowNs 200000000 -> 100000000", o);

            var b = host.Priority.Breakers;
            Assert.Equal(2, b.Settings.Version);
            Assert.Equal(1, b.Rejected);
            Assert.False(b.Settings.Options.Volatility.Enabled);
            var first = b.Transitions.Snapshot()[0];
            Assert.Equal((BreakerDetector.Reconfigured, 2.0, 1.0), (first.Detector, first.Figure, first.Threshold)); // taken at the first event
            Assert.Equal(0, b.TripsBy(BreakerDetector.Volatility));
            Assert.True(b.TripsBy(BreakerDetector.Exchange) > 0, "the crash still trips the other detectors");
            Assert.True(b.Transitions.Snapshot().Where(t => t.To < t.From).All(t => t.Detector == BreakerDetector.Recovery));
        }
        finally { Directory.Delete(dir, true); }
    }
}
