using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.SoupBin;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed replay --soupbintcp HOST:PORT [--from-seq N] [--user U] [--password P] [--session S] [replay options]</c>:
/// logs in to a SoupBinTCP 3.00 server, receives its sequenced ITCH 5.0 messages from sequence N until End of Session
/// (TCP replay), then replays them through <c>replay --format itch50</c>'s pipeline (decode, books, the summary and
/// --json). The messages are kept in a temporary NASDAQ binary ITCH file in between, removed afterwards.
/// </summary>
internal static class SoupBinReplayCommand
{
    /// <summary>True when the replay arguments ask for a SoupBinTCP source.</summary>
    public static bool IsRequested(ReadOnlySpan<string> args)
    {
        foreach (var a in args) if (a == "--soupbintcp" || a.StartsWith("--soupbintcp=", StringComparison.Ordinal)) return true;
        return false;
    }

    public static int Run(ReadOnlySpan<string> args, TextWriter output, TextWriter error)
    {
        var options = Parse(args, out var rest);
        string file = Path.Combine(Path.GetTempPath(), $"wirespeed-soupbintcp-{Environment.ProcessId}.itch50");
        try
        {
            var sink = new FileSink(ItchFileWriter.Create(file));
            SoupBinClient client;
            using (sink.Writer)
            using (client = new SoupBinClient(options, sink))
            {
                client.Start();
                var state = client.Completion.GetAwaiter().GetResult();   // End of Session, or a final failure
                var c = client.Counters;
                if (state != SoupBinClientState.EndOfSession)
                {
                    error.WriteLine($"wirespeed: replay: soupbintcp {options.Host}:{options.Port}: {Describe(client)} after {c.SequencedMessages:N0} messages; nothing replayed.");
                    return 1;
                }
                output.WriteLine($"replay: soupbintcp {options.Host}:{options.Port} session {client.Session}: {c.SequencedMessages:N0} messages from sequence {sink.First} to end of session " +
                                 $"({c.ServerHeartbeats:N0} server heartbeats, {c.Reconnects:N0} reconnects, {c.FramingErrors:N0} framing errors)");
            }
            var replayArgs = new List<string> { "--format", "itch50" };
            replayArgs.AddRange(rest);
            replayArgs.Add(file);
            return ReplayCommand.Run(CommandArgs.Parse("replay", replayArgs.ToArray()), output, error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Describe(SoupBinClient client) => client.State switch
    {
        SoupBinClientState.Rejected => $"login rejected ('{(char)client.RejectReason}': {(client.RejectReason == SoupBinLayout.RejectNotAuthorized ? "not authorized; check --user and --password" : "session not available; check --session")})",
        _ => $"gave up ({client.LastDropReason})",
    };

    /// <summary>Takes the SoupBinTCP options out of <paramref name="args"/>; the rest go to the replay.</summary>
    private static SoupBinClientOptions Parse(ReadOnlySpan<string> args, out List<string> rest)
    {
        var mine = CommandArgs.Parse("replay", args);
        string endpoint = mine.String("soupbintcp") ?? "";
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new UsageException($"replay: --soupbintcp '{endpoint}' must be HOST:PORT, e.g. 127.0.0.1:26477.");
        long from = mine.Long("from-seq") ?? 1;
        if (from < 0) throw new UsageException("replay: --from-seq must be a SoupBinTCP sequence number (1 = the first message, 0 = the most recent).");
        rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i].Substring(2).Split('=')[0] : "";
            if (name is "soupbintcp" or "from-seq" or "user" or "password" or "session")
            {
                if (!args[i].Contains('=')) i++;
                continue;
            }
            rest.Add(args[i]);
        }
        var options = new SoupBinClientOptions
        {
            Host = endpoint.Substring(0, colon), Port = port, FirstSequence = (ulong)from,
            Username = mine.String("user") ?? "", Password = mine.String("password") ?? "", Session = mine.String("session") ?? "",
            MaxReconnects = 5,
        };
        try
        {
            return options.Validated();
        }
        catch (ArgumentException e)
        {
            throw new UsageException("replay: " + e.Message);
        }
    }

    /// <summary>Writes each sequenced message to the temporary file on the client's I/O thread (a cold command path).</summary>
    private sealed class FileSink(ItchFileWriter writer) : ISoupBinDataHandler
    {
        public ItchFileWriter Writer { get; } = writer;
        public ulong First { get; private set; }

        public bool OnSequenced(ulong sequence, ReadOnlySpan<byte> message)
        {
            if (First == 0) First = sequence;
            Writer.WriteMessage(message);
            return true;
        }

        public bool OnUnsequenced(ReadOnlySpan<byte> message) => true;

        public void OnEndOfSession(ulong nextSequence) => Writer.Flush();
    }
}
