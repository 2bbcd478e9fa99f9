using Wirespeed.Core.Recording;
using System;
using System.IO;
using System.Net;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed simulate</c>: the exchange simulator to a file (NASDAQ binary ITCH or pcap, virtual timestamps,
/// deterministic) or, without --out, to the configured line's multicast group at the configured rate (realtime stamps).
/// </summary>
internal static class SimulateCommand
{
    public static int Run(CommandArgs args, TextWriter output)
    {
        var config = ConfigOverrides.Load(args);
        string? outPath = args.String("out");
        string format = args.String("format") ?? "itch50";
        long messages = args.Long("messages") ?? SimulatorPlan.Messages(config.Simulator);
        args.RejectUnknown();
        if (format is not ("itch50" or "pcap")) throw new UsageException($"simulate: --format '{format}' is not one of: itch50, pcap.");
        if (messages < 1) throw new UsageException("simulate: --messages must be at least 1.");

        var sc = config.Simulator;
        var line = config.Lines[0];
        var options = SimulatorPlan.From(sc);
        var sim = new ExchangeSimulator(options);
        PacedRunResult result;
        if (outPath is not null)
        {
            // Files are deterministic: virtual timestamps, no pacing (the rate only shapes virtual time).
            var feed = new SimFeed(sim, sc.Session, sc.MaxPayloadBytes, SimTimestampMode.Virtual, messages);
            long written = 0, packets = 0;
            if (format == "itch50")
            {
                using var writer = ItchFileWriter.Create(outPath);
                var sink = new ItchFileSink(writer);
                while (!feed.Ended) { var p = feed.NextPacket(); if (p.IsEmpty) break; sink.OnPacket(p, feed.LastTimestampNs); packets++; }
                written = writer.Messages;
            }
            else
            {
                var dst = new IPEndPoint(IPAddress.Parse(line.Group), line.Port);
                using var writer = PcapWriter.Create(outPath, new IPEndPoint(IPAddress.Parse(line.Interface), line.Port), dst);
                var sink = new PcapSink(writer);
                while (!feed.Ended) { var p = feed.NextPacket(); if (p.IsEmpty) break; sink.OnPacket(p, feed.LastTimestampNs); packets++; }
                written = feed.MessagesPacked;
            }
            output.WriteLine($"simulate: wrote {written:N0} messages in {packets:N0} packets to {outPath} ({format}, scenario {sc.Scenario}, seed {sc.Seed})");
            return 0;
        }

        var live = new SimFeed(sim, sc.Session, sc.MaxPayloadBytes, SimTimestampMode.Realtime, messages);
        var destination = new IPEndPoint(IPAddress.Parse(line.Group), line.Port);
        using (var sender = new UdpPacketSender(destination, IPAddress.Parse(line.Interface)))
        {
            var udp = new UdpSink(sender);
            output.WriteLine($"simulate: {messages:N0} messages at {sc.Rate:N0}/s to {destination} via {line.Interface} (scenario {sc.Scenario}, seed {sc.Seed})");
            result = PacedEmitter.Run(live, ref udp, sc.Rate, messages, TimeSpan.FromSeconds(sc.Seconds + 5));
        }
        output.WriteLine($"simulate: sent {result.Messages:N0} messages in {result.Packets:N0} packets over {result.ElapsedSeconds:F2} s " +
                         $"= {result.AchievedMessagesPerSecond:N0} msg/s (target {result.TargetMessagesPerSecond:N0}; ended by {result.EndedBy})");
        return 0;
    }
}
