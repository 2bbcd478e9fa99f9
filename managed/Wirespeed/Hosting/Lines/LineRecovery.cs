using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Mold.Rerequest;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// The recovery side of the feed lines (issue 11): for each line with a side B (<c>lines[].b</c>) or a re-request server
/// (<c>lines[].retransmit</c>), its <see cref="ArbitratedLine"/> (run by the receiving worker, before decode) and its
/// <see cref="MoldRerequester"/> (its own cold thread); the summary's accounting of how every message arrived; and the
/// alerts while a gap stays open. Cold path, except what the worker calls through <see cref="ArbitratedLine"/>.
/// </summary>
public sealed class LineRecovery : IDisposable
{
    /// <summary>A gap whose next message has not come for this long raises an alert.</summary>
    public const long StuckAlertNs = 1_000_000_000;

    private readonly WirespeedConfig _config;
    private readonly int[] _bOrder;            // the lines that have a side B, in line order
    private Timer? _watch;
    private readonly long[] _alertedGaveUp;
    private readonly ulong[] _stuckAt;         // NextExpected when the line was last seen waiting
    private readonly long[] _stuckSinceNs;
    private readonly bool[] _stuckAlerted;

    private LineRecovery(WirespeedConfig config, ArbitratedLine?[] lines)
    {
        _config = config;
        Lines = lines;
        var b = new List<int>();
        for (int i = 0; i < lines.Length; i++) if (lines[i] is { HasB: true }) b.Add(i);
        _bOrder = b.ToArray();
        _alertedGaveUp = new long[lines.Length];
        _stuckAt = new ulong[lines.Length];
        _stuckSinceNs = new long[lines.Length];
        _stuckAlerted = new bool[lines.Length];
        Alerts = 0;
    }

    /// <summary>Per configured line: its arbitration, or null for a one-sided line without a server.</summary>
    public ArbitratedLine?[] Lines { get; }
    /// <summary>True when any line is arbitrated.</summary>
    public bool Any => Array.Exists(Lines, l => l is not null);
    /// <summary>Alerts raised by the watch.</summary>
    public long Alerts;

    /// <summary>
    /// Builds the arbiters and re-request clients (not started). Throws <see cref="ConfigException"/> when a server's port
    /// is 0 (only demo and simulate, whose simulator starts the server, leave the port to the kernel and fill it in).
    /// </summary>
    public static LineRecovery Create(WirespeedConfig config)
    {
        var lines = new ArbitratedLine?[config.Lines.Count];
        try
        {
            for (int i = 0; i < lines.Length; i++)
            {
                var l = config.Lines[i];
                if (!l.Arbitrated) continue;
                MoldRerequester? client = null;
                if (l.Retransmit is { } r)
                {
                    if (r.EndPoint() is not { Port: > 0 })
                        throw new ConfigException($"lines[{i}].retransmit.server", $"'{r.Server}' has no port: only demo and simulate, whose simulator starts the server, may leave it to the kernel; name the server's port, e.g. \"10.0.0.5:26480\".");
                    client = new MoldRerequester(r.ToOptions(IPAddress.Parse(l.Interface)));
                }
                lines[i] = new ArbitratedLine(l.ToArbiterOptions(), l.B is not null, client, l.Session, (byte)l.Id);
            }
        }
        catch
        {
            foreach (var l in lines) l?.Rerequester?.Dispose();
            throw;
        }
        return new LineRecovery(config, lines);
    }

    /// <summary>Which line the transport's k-th source belongs to: sides A first (k = line), then the sides B in line order.</summary>
    public int LineOfSource(int k, int lines) => k < lines ? k : _bOrder[k - lines];

    /// <summary>Starts the re-request clients' threads.</summary>
    public void Start()
    {
        foreach (var l in Lines) l?.Rerequester?.Start();
    }

    /// <summary>Start-up notes: how each arbitrated line is received and recovered.</summary>
    public IEnumerable<string> Describe()
    {
        for (int i = 0; i < Lines.Length; i++)
        {
            if (Lines[i] is not { } a) continue;
            var l = _config.Lines[i];
            string sides = l.B is { } b ? $"sides A {l.Group}:{l.Port} and B {b.Group}:{b.Port}, first copy wins" : "side A only";
            string server = l.Retransmit is { } r
                ? $"gaps requested after {r.GapWaitNs / 1e3:0.#} µs from {r.Server} (at most {r.MaxMessagesPerRequest} messages a request, {r.MaxRequestsPerSecond}/s, timeout {r.TimeoutNs / 1e6:0.#} ms × {r.MaxRetries} retries with back-off)"
                : "no re-request server: gaps stay open and counted";
            yield return $"line {l.Name}: A/B arbitration before decode, {sides}; reorder window {l.ReorderSlots} packets; {server}";
        }
    }

    /// <summary>
    /// Starts the watch (every 250 ms, a timer thread): an alert through <paramref name="alert"/> when a line's client
    /// gives requests up (its server is silent), and when a line waits for the same message for over a second.
    /// </summary>
    public void Watch(Action<string> alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!Any || _watch is not null) return;
        _watch = new Timer(_ => Tick(alert), null, 250, 250);
    }

    /// <summary>Failed watch ticks (an alert that could not be written, e.g. a closed stdout): counted, never thrown.</summary>
    public long WatchFailures;

    // An exception escaping a timer callback ends the process: the watch must never stop market data.
    private void Tick(Action<string> alert)
    {
        try
        {
            Check(alert, Core.Time.MonoClock.NowNs());
        }
        catch (Exception)
        {
            Interlocked.Increment(ref WatchFailures);
        }
    }

    /// <summary>One look at every line (the watch's tick; public for tests).</summary>
    public void Check(Action<string> alert, long nowNs)
    {
        for (int i = 0; i < Lines.Length; i++)
        {
            if (Lines[i] is not { } a) continue;
            string name = _config.Lines[i].Name;
            if (a.Rerequester is { } client)
            {
                long gaveUp = Volatile.Read(ref client.Counters.GaveUp);
                if (gaveUp > _alertedGaveUp[i])
                {
                    _alertedGaveUp[i] = gaveUp;
                    Interlocked.Increment(ref Alerts);
                    alert($"line {name}: re-request server {_config.Lines[i].Retransmit!.Server} did not answer: {gaveUp:N0} request(s) given up after every retry; " +
                          $"{a.Outstanding:N0} message(s) still missing, requested again");
                }
            }
            ulong next = a.NextExpected;
            if (a.Outstanding == 0 || next != _stuckAt[i])
            {
                _stuckAt[i] = next;
                _stuckSinceNs[i] = nowNs;
                _stuckAlerted[i] = false;
                continue;
            }
            if (!_stuckAlerted[i] && nowNs - _stuckSinceNs[i] >= StuckAlertNs)
            {
                _stuckAlerted[i] = true;
                Interlocked.Increment(ref Alerts);
                alert($"line {name}: gap at sequence {next:N0} open for {(nowNs - _stuckSinceNs[i]) / 1e9:0.#} s ({a.Outstanding:N0} message(s) missing or held): " +
                      (a.Rerequester is null ? "no re-request server configured" : "waiting for the re-request server"));
            }
        }
    }

    /// <summary>
    /// The summary's "arbitration" section: every message by how it arrived (live on A, live on B, recovered by
    /// re-request), per side packets, wins, misses, late copies and trail, gaps requested, still open and abandoned,
    /// and the client's requests sent, answered, timed out and given up. Keys are prefixed with the line's name when
    /// several lines are arbitrated. Empty when no line is.
    /// </summary>
    public Dictionary<string, long> Counters()
    {
        var d = new Dictionary<string, long>();
        int arbitrated = 0;
        foreach (var l in Lines) if (l is not null) arbitrated++;
        for (int i = 0; i < Lines.Length; i++)
        {
            if (Lines[i] is not { } a) continue;
            string p = arbitrated > 1 ? _config.Lines[i].Name.ToLowerInvariant() + "_" : "";
            var c = a.Counters;
            d[p + "messages_live_a"] = c.A.MessagesWon;
            d[p + "messages_live_b"] = c.B.MessagesWon;
            d[p + "messages_recovered"] = c.Retransmission.MessagesWon;
            d[p + "messages_abandoned"] = c.MessagesAbandoned;
            d[p + "messages_reordered"] = c.ReorderedMessages;
            Side(d, p + "a_", c.A);
            if (a.HasB) Side(d, p + "b_", c.B);
            d[p + "retransmit_packets"] = c.Retransmission.Packets;
            d[p + "retransmit_late_copies"] = c.Retransmission.Duplicates;
            d[p + "retransmit_foreign_session"] = c.Retransmission.ForeignSession;
            d[p + "gaps_requested"] = c.Requests;
            d[p + "gap_messages_requested"] = c.MessagesRequested;
            d[p + "gap_messages_open"] = (long)a.Outstanding;
            d[p + "gaps_requested_again"] = a.RequestedAgain;
            d[p + "reframe_overflow"] = a.ReframeOverflow;
            if (a.Rerequester is { } client)
            {
                var r = client.Counters;
                d[p + "requests_sent"] = r.RequestsSent;
                d[p + "requests_answered"] = r.Completed;
                d[p + "requests_timed_out"] = r.Retries;
                d[p + "requests_given_up"] = r.GaveUp;
                d[p + "requests_deferred"] = r.RetriesDeferred;
                d[p + "requests_rate_limited"] = r.RateLimited;
                d[p + "requests_refused"] = c.RequestsRefused;
                d[p + "responses_received"] = r.Responses;
                d[p + "responses_dropped"] = r.ResponsesDropped + r.ResponsesMalformed;
                d[p + "recovery_mean_ns"] = r.Completed == 0 ? 0 : r.RecoveryNsTotal / r.Completed;
                d[p + "recovery_p50_ns"] = Core.Monitoring.HistogramStats.ValueAtPercentile(r.Recovery, 50);
                d[p + "recovery_p99_ns"] = Core.Monitoring.HistogramStats.ValueAtPercentile(r.Recovery, 99);
                d[p + "recovery_max_ns"] = r.RecoveryNsMax;
            }
        }
        if (arbitrated > 0) d["alerts"] = Interlocked.Read(ref Alerts);
        return d;
    }

    private static void Side(Dictionary<string, long> d, string p, MoldSideCounters s)
    {
        d[p + "packets"] = s.Packets;
        d[p + "wins"] = s.Wins;
        d[p + "misses"] = s.Misses;
        d[p + "late_copies"] = s.Duplicates;
        d[p + "held"] = s.Held;
        d[p + "window_full"] = s.WindowFull;
        d[p + "foreign_session"] = s.ForeignSession;
        d[p + "trail_mean_ns"] = s.MeanTrailNs;
        d[p + "trail_max_ns"] = s.TrailNsMax;
    }

    /// <summary>One line for the end of a summary: how the messages arrived, per arbitrated line.</summary>
    public IEnumerable<string> Totals()
    {
        for (int i = 0; i < Lines.Length; i++)
        {
            if (Lines[i] is not { } a) continue;
            var c = a.Counters;
            string requests = a.Rerequester is { } client
                ? $"; requests sent {client.Counters.RequestsSent:N0}, answered {client.Counters.Completed:N0}, timed out {client.Counters.Retries:N0}, given up {client.Counters.GaveUp:N0}" +
                  (client.Counters.Completed == 0 ? "" : $"; recovery (request → filled) p50 {Core.Monitoring.HistogramStats.ValueAtPercentile(client.Counters.Recovery, 50) / 1e6:0.###} ms, " +
                   $"p99 {Core.Monitoring.HistogramStats.ValueAtPercentile(client.Counters.Recovery, 99) / 1e6:0.###} ms, max {client.Counters.RecoveryNsMax / 1e6:0.###} ms")
                : "";
            yield return $"line {_config.Lines[i].Name}: live on A {c.A.MessagesWon:N0}, live on B {c.B.MessagesWon:N0}, recovered by re-request {c.Retransmission.MessagesWon:N0}; " +
                         $"A missed {c.A.Misses:N0}, B missed {c.B.Misses:N0}; gaps requested {c.Requests:N0}, still open {a.Outstanding:N0} msgs, abandoned {c.MessagesAbandoned:N0}{requests}";
        }
    }

    /// <summary>Stops the watch and the re-request clients (after the receiving worker stopped).</summary>
    public void Dispose()
    {
        _watch?.Dispose();
        _watch = null;
        foreach (var l in Lines) l?.Rerequester?.Dispose();
    }
}
