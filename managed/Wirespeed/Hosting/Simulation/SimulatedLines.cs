using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Hosting.Simulation;

/// <summary>
/// The simulator as the configured feed lines see it (demo, simulate): line i is venue i of one simulated market (the
/// same instruments and price path, its own order flow, <see cref="SimulatorOptions.Venue"/>), with its own MoldUDP64
/// session, sent to its own group and port by a thread of its own at simulator.rate / lines, paced with sleeps (never
/// spinning). A warm-up phase, then the run; every line finishes its warm-up before any starts its run.
/// </summary>
internal sealed class SimulatedLines : IDisposable
{
    private readonly UdpPacketSender[] _senders;
    private readonly UdpPacketSender?[] _sendersB;      // side B of line i, when lines[i].b is configured
    private readonly LossDraw[][] _loss;                 // per line: A, B, both
    private readonly Thread[] _threads;
    private readonly CountdownEvent _warm;
    private readonly PacedRunResult[] _warmResults;
    private readonly PacedRunResult[] _runResults;
    private readonly long _runLimit;
    private readonly CancellationToken _stop;
    private Exception? _fault;

    /// <param name="config">Its lines and simulator section (lines[i].session is set here when empty).</param>
    /// <param name="warmMessages">Messages of the warm-up phase, over all lines; 0: no warm-up.</param>
    /// <param name="runMessages">Messages of the run, over all lines (the session ends after them).</param>
    /// <param name="warmSeconds">Target length of the warm-up at the configured rate.</param>
    /// <param name="endOfDay">True: after the run's messages each line sends the simulator's closing messages and end of
    /// session (demo); false: exactly the run's messages (simulate --messages).</param>
    /// <param name="stop">Once cancelled, every sender ends after its current packet (warm-up or run), without the
    /// end of session: demo on SIGINT or SIGTERM.</param>
    /// <param name="loss">Packets lost on purpose on each line's side A, side B and both (--loss); default none. A line
    /// with lines[].b is sent to both groups; one with lines[].retransmit gets the simulator's re-request server, started
    /// here on that address (port 0: a free one, written back into lines[].retransmit.server for the receiver).</param>
    public SimulatedLines(WirespeedConfig config, long warmMessages, long runMessages, double warmSeconds, bool endOfDay = true,
        CancellationToken stop = default, LossPlan? loss = null)
    {
        Loss = loss ?? LossPlan.None;
        _stop = stop;
        var sim = config.Simulator;
        int n = config.Lines.Count;
        Rate = sim.Rate / n;
        WarmPerLine = warmMessages <= 0 ? 0 : Math.Max(1, warmMessages / n);
        long runPerLine = Math.Max(1, runMessages / n);
        _runLimit = endOfDay ? long.MaxValue : runPerLine;
        Feeds = new SimFeed[n];
        _senders = new UdpPacketSender[n];
        _sendersB = new UdpPacketSender?[n];
        _loss = new LossDraw[n][];
        Servers = new MoldRetransmitServer?[n];
        _threads = new Thread[n];
        _warm = new CountdownEvent(n);
        _warmResults = new PacedRunResult[n];
        _runResults = new PacedRunResult[n];
        var plan = SimulatorPlan.From(sim);
        AssignSessions(config);
        MidnightEpochNs = ExchangeMidnightNs(config);
        try
        {
            for (int i = 0; i < n; i++)
            {
                var line = config.Lines[i];
                Feeds[i] = new SimFeed(new ExchangeSimulator(plan with { Venue = i }), line.Session, sim.MaxPayloadBytes, SimTimestampMode.Realtime,
                                       WarmPerLine + runPerLine, MidnightEpochNs);
                _senders[i] = new UdpPacketSender(new IPEndPoint(IPAddress.Parse(line.Group), line.Port), IPAddress.Parse(line.Interface));
                if (line.B is { } b)
                    _sendersB[i] = new UdpPacketSender(new IPEndPoint(IPAddress.Parse(b.Group.Length == 0 ? b.Interface : b.Group), b.Port), IPAddress.Parse(b.Interface));
                if (line.Retransmit is { } r)
                {
                    Servers[i] = new MoldRetransmitServer(new MoldRetransmitOptions { Listen = r.EndPoint()!, StoreDepth = RetransmitStoreDepth, Seed = sim.Seed + (ulong)i });
                    r.Server = Servers[i]!.EndPoint.ToString();   // the port the kernel gave, for the receiver
                    Servers[i]!.Start();
                }
                ulong seed = sim.Seed * 1_000_003 + (ulong)i * 7919;
                _loss[i] = [new LossDraw(Loss.A, seed + 1), new LossDraw(Loss.B, seed + 2), new LossDraw(Loss.Both, seed + 3)];
                int index = i;
                _threads[i] = new Thread(() => Send(index, warmSeconds, sim.Seconds)) { IsBackground = true, Name = n == 1 ? "ws-sim" : "ws-sim." + line.Name };
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Today's midnight in the exchange's zone (lines[0].exchangeTimeZone), Unix-epoch ns: the ITCH timestamps the
    /// senders stamp count from it, as run's receiver counts from it, so exchange time and local time agree (the clock
    /// watcher sees no drift when run receives what simulate sends).
    /// </summary>
    public static long ExchangeMidnightNs(WirespeedConfig config)
    {
        ExchangeDay.TryFindZone(config.Lines[0].ExchangeTimeZone, out var zone);   // validated at start-up
        return ExchangeDay.MidnightEpochNs(zone, RealtimeClock.NowNs());
    }

    /// <summary>The midnight the senders' timestamps count from (<see cref="ExchangeMidnightNs"/>, taken once per run).</summary>
    public long MidnightEpochNs { get; }

    /// <summary>The embedded demo's reorder window: 4096 packets (160 ms of one side at 1M msg/s), for a loaded host's stalls.</summary>
    public const int DemoReorderSlots = 4096;

    /// <summary>
    /// The embedded demo's recovery (no --config): each line also sent to side B (group 239.192.0.2 + line index, the
    /// line's port) and given a re-request server on 127.0.0.1 at a port the kernel picks, so that <c>demo</c> shows
    /// arbitration at work and <c>demo --loss 1%</c> shows recovery.
    /// </summary>
    public static void WithRecovery(WirespeedConfig config)
    {
        for (int i = 0; i < config.Lines.Count; i++)
        {
            var l = config.Lines[i];
            l.B ??= new LineSideConfig { Group = $"239.192.0.{2 + i}", Port = l.Port, Interface = l.Interface, Transport = l.Transport };
            l.Retransmit ??= new RetransmitConfig { Server = "127.0.0.1:0" };
            if (l.ReorderSlots < DemoReorderSlots) l.ReorderSlots = DemoReorderSlots;
        }
    }

    /// <summary>Messages each line's simulated re-request server keeps (about a second at the demo's rate; 64 bytes each).</summary>
    public const int RetransmitStoreDepth = 1 << 20;

    /// <summary>The loss applied to every line (--loss).</summary>
    public LossPlan Loss { get; }
    /// <summary>Each line's re-request server (lines[].retransmit), or null.</summary>
    public MoldRetransmitServer?[] Servers { get; }

    /// <summary>
    /// What the senders lost on purpose and what the re-request servers did, summed over the lines: packets and messages
    /// dropped on A, on B and on both; requests answered, response packets and messages, requests beyond the store.
    /// </summary>
    public System.Collections.Generic.Dictionary<string, long> LossCounters()
    {
        var d = new System.Collections.Generic.Dictionary<string, long>();
        string[] sides = ["a", "b", "both"];
        foreach (var draws in _loss)
        {
            if (draws is null) continue;
            for (int s = 0; s < 3; s++)
            {
                d[sides[s] + "_packets_dropped"] = d.GetValueOrDefault(sides[s] + "_packets_dropped") + Interlocked.Read(ref draws[s].PacketsDropped);
                d[sides[s] + "_messages_dropped"] = d.GetValueOrDefault(sides[s] + "_messages_dropped") + Interlocked.Read(ref draws[s].MessagesDropped);
            }
        }
        foreach (var server in Servers)
        {
            if (server is null) continue;
            var c = server.Counters;
            d["server_requests"] = d.GetValueOrDefault("server_requests") + Interlocked.Read(ref c.Requests);
            d["server_response_packets"] = d.GetValueOrDefault("server_response_packets") + Interlocked.Read(ref c.ResponsePackets);
            d["server_response_messages"] = d.GetValueOrDefault("server_response_messages") + Interlocked.Read(ref c.ResponseMessages);
            d["server_beyond_store"] = d.GetValueOrDefault("server_beyond_store") + Interlocked.Read(ref c.BeyondStore);
        }
        return d;
    }

    /// <summary>The feed of each line.</summary>
    public SimFeed[] Feeds { get; }
    /// <summary>Messages per second each line is sent at.</summary>
    public double Rate { get; }
    /// <summary>Warm-up messages of each line.</summary>
    public long WarmPerLine { get; }
    /// <summary>The first failure of a sender thread, or null.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>
    /// The session of line <paramref name="line"/> when the configuration names none: the simulator's for the first,
    /// its first nine characters and a letter (B, C …) for the others, so that every line has its own session.
    /// </summary>
    public static string SessionOf(string session, int line)
        => line == 0 ? session : session.PadRight(10)[..9] + (char)('A' + line);

    /// <summary>
    /// Fixes the simulator's session for this run (<see cref="SimulatorSession.ForLiveRun"/>: the configured one, or one of
    /// this run's own) and gives every line whose configuration names no session the one its simulated venue sends
    /// (<see cref="SessionOf"/>), so that the receiving lines accept exactly the packets of this run.
    /// </summary>
    public static void AssignSessions(WirespeedConfig config)
    {
        SimulatorSession.ForLiveRun(config.Simulator);
        for (int i = 0; i < config.Lines.Count; i++)
            if (config.Lines[i].Session.Length == 0) config.Lines[i].Session = SessionOf(config.Simulator.Session, i);
    }

    /// <summary>Messages packed so far, all lines.</summary>
    public long MessagesPacked
    {
        get
        {
            long n = 0;
            foreach (var f in Feeds) n += f.MessagesPacked;
            return n;
        }
    }

    /// <summary>Starts the sender threads.</summary>
    public void Start()
    {
        foreach (var t in _threads) t.Start();
    }

    /// <summary>Blocks until every line has finished its warm-up (or failed).</summary>
    public void WaitWarmedUp() => _warm.Wait();

    /// <summary>Blocks until every sender thread has finished.</summary>
    public void Join()
    {
        foreach (var t in _threads) t.Join();
    }

    /// <summary>The warm-up and run results, summed over the lines (rates add up; elapsed is the longest).</summary>
    public (PacedRunResult Warm, PacedRunResult Run) Results => (Sum(_warmResults), Sum(_runResults));

    private void Send(int i, double warmSeconds, double runSeconds)
    {
        bool signalled = false;
        try
        {
            // A one-sided line without loss is sent exactly as before (one end of session).
            bool recovery = _sendersB[i] is not null || Servers[i] is not null || !Loss.IsNone;
            var sink = new ABLineSink(_senders[i], _sendersB[i], Servers[i], _loss[i][0], _loss[i][1], _loss[i][2], repeatEnd: recovery);
            if (WarmPerLine > 0) _warmResults[i] = PacedEmitter.Run(Feeds[i], ref sink, Rate, WarmPerLine, TimeSpan.FromSeconds(warmSeconds * 5), stop: _stop);
            _warm.Signal();
            signalled = true;
            _runResults[i] = PacedEmitter.Run(Feeds[i], ref sink, Rate, _runLimit, TimeSpan.FromSeconds(runSeconds * 2 + 10), stop: _stop);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _fault, e, null);
        }
        finally
        {
            if (!signalled) _warm.Signal();
        }
    }

    private static PacedRunResult Sum(PacedRunResult[] results)
    {
        long messages = 0, packets = 0, bytes = 0, backlog = 0, sleeps = 0;
        double elapsed = 0, target = 0, achieved = 0;
        PacedRunEnd end = PacedRunEnd.FeedEnded;
        foreach (var r in results)
        {
            messages += r.Messages; packets += r.Packets; bytes += r.Bytes; sleeps += r.Sleeps;
            backlog = Math.Max(backlog, r.MaxBacklogMessages);
            elapsed = Math.Max(elapsed, r.ElapsedSeconds);
            target += r.TargetMessagesPerSecond;
            achieved += r.AchievedMessagesPerSecond;
            if (r.EndedBy != PacedRunEnd.FeedEnded) end = r.EndedBy;
        }
        return new PacedRunResult(messages, packets, bytes, elapsed, target, achieved, backlog, sleeps, end);
    }

    public void Dispose()
    {
        foreach (var s in _senders) s?.Dispose();
        foreach (var s in _sendersB) s?.Dispose();
        foreach (var s in Servers) s?.Dispose();
        _warm.Dispose();
    }
}
