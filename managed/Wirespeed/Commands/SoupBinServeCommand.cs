using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed simulate --soupbintcp-server PORT [--messages N] [--soupbintcp-user U] [--soupbintcp-password P]
/// [--soupbintcp-session S] [--linger SECONDS]</c>: the exchange side of SoupBinTCP. The simulator's ITCH 5.0 day (the
/// configured simulator, N messages) is served on 127.0.0.1:PORT from any requested sequence number, with heartbeats
/// and End of Session after the last message, until SIGINT or SIGTERM (or for --linger seconds).
/// </summary>
internal static class SoupBinServeCommand
{
    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        var config = ConfigOverrides.Load(args).Config;
        long port = args.Long("soupbintcp-server") ?? -1;
        long messages = args.Long("messages") ?? SimulatorPlan.Messages(config.Simulator);
        double linger = args.Double("linger") ?? 0;
        var options = new SoupBinServerOptions
        {
            Port = (int)port,
            Username = args.String("soupbintcp-user") ?? "sim",
            Password = args.String("soupbintcp-password") ?? "sim",
            Session = args.String("soupbintcp-session") ?? "SIM0000001",
        };
        args.RejectUnknown();
        if (port is < 1 or > 65535) throw new UsageException("simulate: --soupbintcp-server must be a TCP port, 1..65535.");
        if (messages < 1) throw new UsageException("simulate: --messages must be at least 1.");
        try
        {
            options.Validated();
        }
        catch (ArgumentException e)
        {
            throw new UsageException("simulate: " + e.Message);
        }

        var sim = new ExchangeSimulator(SimulatorPlan.From(config.Simulator));
        var store = new SimMessageStore();
        var m = new byte[ExchangeSimulator.MaxMessageLength];
        for (long i = 0; i < messages; i++)
        {
            int n = sim.NextMessage(m);
            if (n == 0) break;
            store.Append(m.AsSpan(0, n));
        }
        store.End();

        using var stop = new ManualResetEventSlim();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        using var server = new SoupBinSimServer(options, store);
        output.WriteLine($"simulate: SoupBinTCP server on 127.0.0.1:{server.Port}, session {options.Session}: {store.Count:N0} ITCH 5.0 messages " +
                         $"(seed {config.Simulator.Seed}), replay from any sequence number, end of session after the last; SIGINT or SIGTERM stops");
        output.Flush();
        if (linger > 0) stop.Wait(TimeSpan.FromSeconds(linger));
        else stop.Wait();
        var c = server.Counters;
        output.WriteLine($"simulate: SoupBinTCP server stopped: {c.Connections:N0} connections, {c.LoginsAccepted:N0} logins accepted, " +
                         $"{c.RejectedNotAuthorized + c.RejectedSessionNotAvailable:N0} rejected, {c.SequencedSent:N0} messages sent, {c.EndOfSessionSent:N0} end of session");
        return 0;
    }
}
