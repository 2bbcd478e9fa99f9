using System;
using System.Net;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Hosting.Soak;

/// <summary>
/// The simulator of the soak's day on the configured lines: line i is sent to its group and port by a thread of its own,
/// a warm-up at the normal rate, then phase after phase of <see cref="SoakDay"/> at the phase's rate
/// (<see cref="PacedEmitter"/>, paced with sleeps, never spinning), then the end of session. Line A's simulator runs the
/// flash crash, line B's the news spike (one scenario per simulator), each with its onset at the first message of its
/// phase; further lines run the normal scenario. Rates are split evenly over the lines.
/// </summary>
internal sealed class SoakSenders : IDisposable
{
    private readonly UdpPacketSender[] _senders;
    private readonly Thread[] _threads;
    private readonly CountdownEvent _warm;
    private readonly CancellationToken _stop;
    private readonly double _rate;
    private readonly double _daySeconds;
    private long _sent;
    private long _behind;
    private Exception? _fault;

    /// <param name="config">Lines (sessions assigned by <see cref="SimulatedLines.AssignSessions"/>) and simulator section.</param>
    /// <param name="normalRate">Normal-flow rate over all lines, msg/s.</param>
    /// <param name="warmSeconds">Warm-up at the normal rate before the day.</param>
    /// <param name="daySeconds">Wall seconds of the whole day.</param>
    /// <param name="midnightEpochNs">The midnight the realtime ITCH stamps count from.</param>
    /// <param name="stop">Ends every sender after its current packet.</param>
    public SoakSenders(WirespeedConfig config, double normalRate, double warmSeconds, double daySeconds, long midnightEpochNs, CancellationToken stop)
    {
        _stop = stop;
        _daySeconds = daySeconds;
        int n = config.Lines.Count;
        _rate = normalRate / n;
        WarmPerLine = Math.Max(1, (long)(_rate * warmSeconds));
        long dayPerLine = SoakDay.Messages(_rate, daySeconds);
        Feeds = new SimFeed[n];
        _senders = new UdpPacketSender[n];
        _threads = new Thread[n];
        _warm = new CountdownEvent(n);
        var sim = config.Simulator;
        var plan = SimulatorPlan.From(sim) with { MessagesPerSecond = _rate };
        try
        {
            for (int i = 0; i < n; i++)
            {
                var line = config.Lines[i];
                var options = ScenarioOf(plan, i, WarmPerLine);
                Feeds[i] = new SimFeed(new ExchangeSimulator(options), line.Session, sim.MaxPayloadBytes, SimTimestampMode.Realtime,
                                       WarmPerLine + dayPerLine, midnightEpochNs);
                _senders[i] = new UdpPacketSender(new IPEndPoint(IPAddress.Parse(line.Group), line.Port), IPAddress.Parse(line.Interface));
                int index = i;
                _threads[i] = new Thread(() => Send(index, warmSeconds)) { IsBackground = true, Name = "ws-soak-sim." + line.Name };
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The simulator options of line <paramref name="line"/>: A the crash, B the news (seed + 1: its own flow), others normal.</summary>
    private SimulatorOptions ScenarioOf(SimulatorOptions plan, int line, long warm)
    {
        int phase = line switch { 0 => SoakDay.FlashCrashPhase, 1 => SoakDay.NewsSpikePhase, _ => -1 };
        if (phase < 0) return plan with { Scenario = SimScenario.Normal, Seed = plan.Seed + (ulong)line };
        // The virtual clock advances 1/rate per message until the onset (neither scenario changes the activity before it).
        long before = warm + SoakDay.MessagesBefore(phase, _rate, _daySeconds);
        long offsetNs = (long)(before * 1e9 / _rate);
        return (plan with
        {
            Scenario = line == 0 ? SimScenario.FlashCrash : SimScenario.NewsSpike,
            Seed = plan.Seed + (ulong)line,
            EventOffsetNs = offsetNs,
        }).Validated();
    }

    /// <summary>The feed of each line.</summary>
    public SimFeed[] Feeds { get; }

    /// <summary>Warm-up messages of each line.</summary>
    public long WarmPerLine { get; }

    /// <summary>The first failure of a sender thread, or null.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Phases that ended on their time limit rather than their message count (a sender that could not hold the rate).</summary>
    public long PhasesBehind => Interlocked.Read(ref _behind);

    /// <summary>Messages packed so far, all lines.</summary>
    public long MessagesPacked
    {
        get
        {
            long m = 0;
            foreach (var f in Feeds) m += f.MessagesPacked;
            return m;
        }
    }

    /// <summary>Messages of the day packed so far, all lines (after the warm-up).</summary>
    public long DayMessagesSent => Interlocked.Read(ref _sent);

    public void Start()
    {
        foreach (var t in _threads) t.Start();
    }

    public void WaitWarmedUp() => _warm.Wait();

    public void Join()
    {
        foreach (var t in _threads) t.Join();
    }

    private void Send(int i, double warmSeconds)
    {
        bool signalled = false;
        try
        {
            var feed = Feeds[i];
            var sink = new UdpSink(_senders[i]);
            PacedEmitter.Run(feed, ref sink, _rate, WarmPerLine, TimeSpan.FromSeconds(warmSeconds * 5 + 5), stop: _stop);
            _warm.Signal();
            signalled = true;
            var phases = SoakDay.Phases;
            for (int p = 0; p < phases.Count && !_stop.IsCancellationRequested && !feed.Ended; p++)
            {
                var phase = phases[p];
                double seconds = (phase.End - phase.Start) * _daySeconds;
                // The last phase runs to the end of session (the feed ends after the day's messages with the closing cross).
                long limit = p == phases.Count - 1 ? long.MaxValue : SoakDay.MessagesOf(p, _rate, _daySeconds);
                var r = PacedEmitter.Run(feed, ref sink, _rate * phase.RateMultiple, limit, TimeSpan.FromSeconds(seconds * 2 + 10), stop: _stop);
                Interlocked.Add(ref _sent, r.Messages);
                if (r.EndedBy == PacedRunEnd.TimeLimit) Interlocked.Increment(ref _behind);
            }
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

    public void Dispose()
    {
        foreach (var s in _senders) s?.Dispose();
        _warm.Dispose();
    }
}
