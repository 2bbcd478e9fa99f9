using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Platform;
using Wirespeed.Hosting.Reporting;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed bench</c>: the latency harness. Phase 1 measures decode + book throughput on one core over
/// pre-generated packets (no pipeline, no clock reads per message). Phase 2 paces the same packets into the full
/// pipeline at --rate (stamped with their scheduled time, so no coordinated omission) and reports per-stage, service
/// and end-to-end HdrHistograms beside the host's interference (hiccup meter, steal).
/// </summary>
internal static class BenchCommand
{
    /// <summary>One pass of the whole blob through a fresh decoder into <paramref name="books"/>: events, ns, bytes allocated.</summary>
    /// <remarks>Fully optimised from its first call: a tiered loop would count the JIT's own on-stack-replacement bytes.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static (long Events, long Ns, long Allocated) DecodeAndBook(PacketBlob blob, OrderBookSet books)
    {
        var decoder = new ItchFeedDecoder(new ItchFeedOptions());
        var handler = new ItchPacketHandler<BookApplyHandler>(decoder, new BookApplyHandler(books));
        var info = new PacketInfo(0, 0, PacketSourceKind.InProcess);
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = MonoClock.NowNs();
        for (int i = 0; i < blob.Count; i++) handler.OnPacket(blob[i], in info);
        long t1 = MonoClock.NowNs();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - alloc0;
        return (handler.Handler.Events, t1 - t0, allocated);
    }

    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        if (args.Has("check")) return BenchCheckCommand.Run(args, output, error);   // the regression guard
        using var session = CommandSession.Open("bench", args, output, error);
        var resolved = ConfigOverrides.Load(args, simulatedDay: true, record: true);   // simulator.breakerProfile applies
        var config = resolved.Config;
        int passes = (int)(args.Long("passes") ?? 5);
        args.RejectUnknown();
        if (passes is < 1 or > 100) throw new UsageException("bench: --passes must be 1..100.");
        var sim = config.Simulator;
        // Bench defaults differ from the demo's: 5 s unless --seconds was given (the configuration's 15 s is the demo's).
        double seconds = args.Has("seconds") ? sim.Seconds : 5;
        var registry = new MemoryRegistry(config.Memory.CeilingBytes);
        var monitor = session.CreateMonitor(config, registry);   // before the work: a bad monitor.hlog fails here

        output.WriteLine("wirespeed bench on " + MachineSpec.Describe());
        long messages = (long)(sim.Rate * (seconds + 1));
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(sim)), SimulatorSession.ForFile(sim), sim.MaxPayloadBytes, SimTimestampMode.Virtual, messages);
        var blob = PacketBlob.Generate(feed, messages);
        output.WriteLine($"  {blob.Messages:N0} messages in {blob.Count:N0} packets ({blob.Bytes / (double)blob.Count:0} bytes, {blob.Messages / (double)blob.Count:0.0} messages per packet), scenario {ConfigNames.Scenarios.Of(sim.Scenario)}, seed {sim.Seed}");
        var (best, median, allocated) = DecodeAndBookPasses(blob, config, passes);
        output.WriteLine($"  decode + book, one core: best {best / 1e6:0.00} M msg/s ({1e9 / best:0.0} ns/msg), median {median / 1e6:0.00} M msg/s over {passes} passes; allocated {allocated} bytes");

        // Phase 2: paced through the pipeline.
        double packetsPerSecond = sim.Rate / (blob.Messages / (double)blob.Count);
        var paced = new PacedBlobState(blob, packetsPerSecond, (byte)config.Lines[0].Id);
        using var host = FeedHost.Create(resolved, registry, new PacedBlobPackets(paced), sim.MaxPayloadBytes + 64, measureOneWay: false, 0);
        host.Register(monitor);
        host.Start();
        // The first second of the schedule is warm-up: the monitor and allocation probes start after it.
        paced.Begin();
        Thread.Sleep(1000);
        host.EndWarmup();
        session.StartMonitor(progress: null, host);
        // Until every packet is released, 5 s past the schedule, or SIGINT/SIGTERM (the figures so far are reported).
        session.Wait(seconds + 5, done: () => paced.Finished);
        Thread.Sleep(50);
        monitor.Stop();
        host.Stop();

        var report = RunReport.ForFeed(host)
            .Counters("bench", () => new Dictionary<string, long>
            {
                ["messages"] = blob.Messages,
                ["packets_released"] = paced.Next,
                ["packets"] = blob.Count,
                ["target_msgs_per_s"] = sim.Rate,
                ["max_backlog_packets"] = paced.MaxBacklog,
                ["decode_book_best_msgs_per_s"] = (long)best,
                ["decode_book_median_msgs_per_s"] = (long)median,
                ["decode_book_allocated_bytes"] = allocated,
            })
            .Add("machine", s =>
            {
                s.Notes.Insert(0, "machine: " + MachineSpec.Describe());
                s.Notes.Add("end-to-end is measured from each packet's scheduled arrival time (no coordinated omission)");
            });
        int code = session.Finish(report);
        return paced.Finished || session.StopRequested ? code : 1;
    }

    /// <summary>Phase 1: decode + book on one core, the best and median rate of <paramref name="passes"/> passes over the whole blob.</summary>
    private static (double Best, double Median, long Allocated) DecodeAndBookPasses(PacketBlob blob, WirespeedConfig config, int passes)
    {
        var bookOptions = new BookOptions { MaxInstruments = config.Simulator.Instruments + 1, MaxLiveOrders = 1 << 20, MaxLevelsPerSide = config.Books.MaxLevelsPerSide, Name = "bench" };
        var books = new OrderBookSet(bookOptions);
        books.Prefault();
        var rates = new List<double>();
        long allocated = 0;
        const int WarmupPasses = 2;                     // the JIT tiers callees up during these; not counted
        for (int pass = 0; pass < WarmupPasses + passes; pass++)
        {
            books.Reset();
            var (events, ns, bytes) = DecodeAndBook(blob, books);
            if (pass < WarmupPasses) continue;
            allocated += bytes;
            rates.Add(events * 1e9 / ns);
        }
        rates.Sort();
        return (rates[^1], rates[rates.Count / 2], allocated);
    }
}
