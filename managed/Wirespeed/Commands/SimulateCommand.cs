using Wirespeed.Core.Recording;
using System;
using System.IO;
using System.Net;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Reporting;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed simulate</c>: the exchange simulator to a file (NASDAQ binary ITCH or pcap, virtual timestamps,
/// deterministic; the path is checked before anything is generated) or, without --out, to every configured line's multicast group at the configured rate (realtime
/// stamps; with several lines, venue i of one simulated market on line i, the rate split between them).
/// </summary>
internal static class SimulateCommand
{
    /// <summary>How long the re-request servers (lines[].retransmit) keep answering after the last packet was sent.</summary>
    public const int RetransmitLingerSeconds = 3;

    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        var config = ConfigOverrides.Load(args).Config;
        string? outPath = args.String("out");
        string format = args.String("format") ?? "itch50";
        long messages = args.Long("messages") ?? SimulatorPlan.Messages(config.Simulator);
        var loss = DemoCommand.LossOption(args, "simulate");
        args.RejectUnknown();
        if (format is not ("itch50" or "pcap")) throw new UsageException($"simulate: --format '{format}' is not one of: itch50, pcap.");
        if (messages < 1) throw new UsageException("simulate: --messages must be at least 1.");
        using var outFile = OutputFile.Check(outPath, "--out", OutputMode.Replace);

        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        if (outFile is not null) return ToFile(outFile, format, messages, config, output, error, new CountProgress(output, terminal, messages, "messages"));

        var sc = config.Simulator;
        PacedRunResult result;
        // Live: every configured line, venue i of the same market on line i, each from its own sender thread.
        using (var lines = new SimulatedLines(config, 0, messages, 0, endOfDay: false, loss: loss))
        {
            var where = new System.Collections.Generic.List<string>();
            foreach (var l in config.Lines) where.Add($"{l.Group}:{l.Port} via {l.Interface}" + (config.Lines.Count > 1 ? $" (line {l.Name}, session {l.Session})" : $" (session {l.Session})"));
            foreach (var l in config.Lines)
            {
                if (l.B is { } b) where.Add($"side B of line {l.Name}: {b.Group}:{b.Port} via {b.Interface}");
                if (l.Retransmit is { } r) where.Add($"re-request server of line {l.Name} on {r.Server}");
            }
            output.WriteLine($"simulate: {messages:N0} messages at {sc.Rate:N0}/s to {string.Join(", ", where)} (scenario {ConfigNames.Scenarios.Of(sc.Scenario)}, seed {sc.Seed})" +
                             (loss.IsNone ? "" : $"; losing {loss} on purpose"));
            lines.Start();
            lines.Join();
            if (lines.Fault is { } fault)
            {
                error.WriteLine("wirespeed: simulate: a sender failed: " + fault.Message);
                return 1;
            }
            result = lines.Results.Run;
            if (Array.Exists(lines.Servers, x => x is not null))
            {
                // A receiver asks for the tail's gaps after the last packet: the exchange keeps answering a while.
                output.WriteLine($"simulate: answering re-requests for {RetransmitLingerSeconds} s more");
                System.Threading.Thread.Sleep(TimeSpan.FromSeconds(RetransmitLingerSeconds));
            }
            if (!loss.IsNone || Array.Exists(lines.Servers, x => x is not null))
                output.WriteLine("simulate: " + string.Join(", ", System.Linq.Enumerable.Select(lines.LossCounters(), kv => $"{kv.Key} {kv.Value:N0}")));
        }
        output.WriteLine($"simulate: sent {result.Messages:N0} messages in {result.Packets:N0} packets over {result.ElapsedSeconds:F2} s " +
                         $"= {result.AchievedMessagesPerSecond:N0} msg/s (target {result.TargetMessagesPerSecond:N0}; ended by {result.EndedBy})");
        return 0;
    }

    /// <summary>
    /// Files are deterministic: virtual timestamps, no pacing (the rate only shapes virtual time). Written beside the
    /// target and renamed when complete; a write that fails (disk full) is one line on stderr and exit 1, and leaves
    /// nothing under the target's name. Progress: a bar on a terminal, a plain line per second otherwise.
    /// </summary>
    internal static int ToFile(OutputFile outFile, string format, long messages, WirespeedConfig config, TextWriter output, TextWriter error, CountProgress progress)
    {
        var sc = config.Simulator;
        var line = config.Lines[0];
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(sc)), SimulatorSession.ForFile(sc), sc.MaxPayloadBytes, SimTimestampMode.Virtual, messages);
        long written = 0, packets = 0;
        try
        {
            if (format == "itch50")
            {
                using var writer = new ItchFileWriter(outFile.OpenStream(), ownsStream: true);
                var sink = new ItchFileSink(writer);
                while (!feed.Ended) { var p = feed.NextPacket(); if (p.IsEmpty) break; sink.OnPacket(p, feed.LastTimestampNs); packets++; progress.Update(feed.MessagesPacked); }
                written = writer.Messages;
            }
            else
            {
                var dst = new IPEndPoint(IPAddress.Parse(line.Group), line.Port);
                using var writer = new PcapWriter(outFile.OpenStream(), new IPEndPoint(IPAddress.Parse(line.Interface), line.Port), dst, ownsStream: true);
                var sink = new PcapSink(writer);
                while (!feed.Ended) { var p = feed.NextPacket(); if (p.IsEmpty) break; sink.OnPacket(p, feed.LastTimestampNs); packets++; progress.Update(feed.MessagesPacked); }
                written = feed.MessagesPacked;
            }
            outFile.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            progress.Finish();
            error.WriteLine(outFile.Failure(e));
            return 1;
        }
        progress.Finish();
        output.WriteLine($"simulate: wrote {written:N0} messages in {packets:N0} packets to {outFile.Path} ({format}, scenario {ConfigNames.Scenarios.Of(sc.Scenario)}, seed {sc.Seed})");
        return 0;
    }
}
