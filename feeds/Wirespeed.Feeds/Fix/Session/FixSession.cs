using System;
using System.Text;
using System.Threading;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>
/// One FIX session's state machine (FIX Session Layer: FIX 4.4 and FIXT.1.1), independent of the transport: the
/// transport calls <see cref="Connected"/>, <see cref="Received"/> and <see cref="Disconnected"/>, a timer calls
/// <see cref="Tick"/>, and the session writes through an <see cref="IFixSessionLink"/>. Split by concern:
/// FixSession.Receive.cs (inbound checks and admin messages), FixSession.Send.cs (outbound, resend from the store),
/// FixSession.Timers.cs (heartbeat, test request, logon and logout timeouts, schedule).
/// <para>
/// A cold-path object: every entry point takes the session's lock, so the transport thread, the timer and
/// application threads may call it; callbacks to <see cref="IFixApplication"/> run under that lock.
/// </para>
/// Messages that arrive beyond a gap are not queued: the session asks for the gap and everything after it (FIX
/// Session Layer, "Resend request"), so the counterparty sends them again in order.
/// </summary>
public sealed partial class FixSession : IDisposable
{
    private readonly object _gate = new();
    private readonly IFixMessageStore _store;
    private readonly IFixApplication _app;
    private readonly IFixClock _clock;
    private readonly FixParser _parser;
    private readonly byte[] _beginString, _sender, _target;
    private readonly FixVersion _version;
    private byte[] _in = new byte[8192];
    private int _inCount;
    private byte[] _out = new byte[8192];
    private IFixSessionLink? _link;

    public FixSession(FixSessionOptions options, IFixMessageStore store, IFixApplication? application = null, IFixClock? clock = null)
    {
        Options = options.Validated();
        _store = store;
        _app = application ?? FixNullApplication.Instance;
        _clock = clock ?? FixSystemClock.Instance;
        _parser = new FixParser(FixDictionary.Default, new FixParserOptions { UndefinedTags = FixUndefinedTagPolicy.Keep });
        _beginString = Encoding.ASCII.GetBytes(options.BeginString);
        _version = FixFramer.Version(_beginString);
        _sender = Encoding.ASCII.GetBytes(options.SenderCompId);
        _target = Encoding.ASCII.GetBytes(options.TargetCompId);
        _heartBtIntNs = options.HeartBtIntSeconds * 1_000_000_000L;
    }

    public FixSessionOptions Options { get; }
    public string Name => Options.Name;
    public FixSessionCounters Counters { get; } = new();
    public FixSessionState State { get { lock (_gate) return _state; } }
    public bool IsLoggedOn => State == FixSessionState.LoggedOn;
    /// <summary>MsgSeqNum of our next message.</summary>
    public int NextSenderSeqNum { get { lock (_gate) return _store.NextSenderSeqNum; } }
    /// <summary>MsgSeqNum we expect next.</summary>
    public int NextTargetSeqNum { get { lock (_gate) return _store.NextTargetSeqNum; } }
    /// <summary>The heartbeat interval in force (the initiator's HeartBtInt once logged on), seconds.</summary>
    public int HeartBtIntSeconds { get { lock (_gate) return (int)(_heartBtIntNs / 1_000_000_000L); } }
    /// <summary>The reason of the last logout or disconnect, for logs and tests.</summary>
    public string LastReason { get { lock (_gate) return _lastReason; } }
    public IFixMessageStore Store => _store;
    /// <summary>Monotonic ns at which the message being delivered (or the last one) was received.</summary>
    public long LastReceiveNs => Volatile.Read(ref _lastReceivedNs);

    private FixSessionState _state;
    private long _heartBtIntNs;
    private long _lastReceivedNs, _lastSentNs, _stateSinceNs;
    private long _testRequestSentNs;                      // 0: none outstanding
    private int _testRequestId;
    private string _lastReason = "";
    private int _resendEnd;                               // last MsgSeqNum our pending ResendRequest covers; 0: none pending
    private int _highestSeen;                             // highest MsgSeqNum seen beyond a gap

    /// <summary>The transport connected: an initiator sends Logon, an acceptor waits for one.</summary>
    public void Connected(IFixSessionLink link)
    {
        lock (_gate)
        {
            if (_link is not null && !ReferenceEquals(_link, link)) Drop("replaced by a new connection", true);
            _link = link;
            Counters.Add(ref Counters.Connects);
            long now = _clock.MonotonicNs;
            _lastReceivedNs = _lastSentNs = _stateSinceNs = now;
            _testRequestSentNs = 0;
            _resendEnd = _highestSeen = 0;
            _inCount = 0;
            _heartBtIntNs = Options.HeartBtIntSeconds * 1_000_000_000L;
            ResetIfNewPeriod();
            if (Options.Role == FixSessionRole.Initiator)
            {
                if (Options.ResetOnLogon) ResetSequences();
                _state = FixSessionState.LogonSent;
                SendLogon(Options.ResetOnLogon);
            }
            else _state = FixSessionState.AwaitingLogon;
        }
    }

    /// <summary>The transport lost <paramref name="link"/>; a link the session already dropped is ignored.</summary>
    public void Disconnected(IFixSessionLink link)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_link, link)) return;
            Drop("connection closed by the counterparty", false);
        }
    }

    /// <summary>Bytes from the connection, in order; any split is fine.</summary>
    public void Received(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_link is null) return;
            if (_in.Length - _inCount < bytes.Length) Array.Resize(ref _in, Math.Max(_in.Length * 2, _inCount + bytes.Length));
            bytes.CopyTo(_in.AsSpan(_inCount));
            _inCount += bytes.Length;
            int used = 0;
            while (_link is not null && used < _inCount)
            {
                var status = FixFramer.TryFrame(_in.AsSpan(used, _inCount - used), out var frame);
                if (frame.Start > 0) Counters.GarbageBytes += frame.Start;
                if (status == FixStatus.NeedMoreBytes) { used += frame.Start; break; }
                var message = _in.AsSpan(used + frame.Start, frame.Length);
                used += frame.Start + frame.Length;
                if (status != FixStatus.Ok)
                {
                    // FIX Session Layer, "Garbled messages": ignore it, do not count its MsgSeqNum; a later gap asks for it again.
                    Counters.Add(ref Counters.Garbled);
                    continue;
                }
                OnMessage(message);
            }
            if (_link is null) { _inCount = 0; return; }
            if (used > 0)
            {
                _in.AsSpan(used, _inCount - used).CopyTo(_in);
                _inCount -= used;
            }
            // A single message cannot exceed the framer's limit: more than that unframed is garbage.
            if (_inCount > FixFramer.MaxBodyLength + 64) { Counters.GarbageBytes += _inCount; _inCount = 0; }
        }
    }

    /// <summary>Starts the logout handshake (FIX Session Layer, "Logout"): Logout out, then wait for the answer.</summary>
    public void Logout(string? text = null)
    {
        lock (_gate)
        {
            if (_state is FixSessionState.Disconnected) return;
            if (_state is not FixSessionState.LoggedOn) { Drop(text ?? "logout before logon", true); return; }
            SendLogout(text);
            _state = FixSessionState.LogoutSent;
            _stateSinceNs = _clock.MonotonicNs;
        }
    }

    /// <summary>A new FIX session: both sequence numbers to 1 and the sent messages dropped.</summary>
    public void ResetSequences()
    {
        lock (_gate)
        {
            _store.Reset(_clock.UtcNow);
            Counters.Add(ref Counters.SequenceResets);
        }
    }

    private void ResetIfNewPeriod()
    {
        var schedule = Options.Schedule;
        if (!schedule.DailyReset) return;
        var start = schedule.WindowStart(_clock.UtcNow);
        if (start is not null && _store.CreatedUtc < start.Value) ResetSequences();
    }

    /// <summary>Leaves the connection: closes it, notes why, tells the application when it was logged on.</summary>
    private void Drop(string reason, bool closeLink)
    {
        var link = _link;
        bool wasLoggedOn = _state is FixSessionState.LoggedOn or FixSessionState.LogoutSent;
        _link = null;
        _state = FixSessionState.Disconnected;
        _lastReason = reason;
        _resendEnd = _highestSeen = 0;
        _testRequestSentNs = 0;
        Counters.Add(ref Counters.Disconnects);
        if (closeLink) link?.Disconnect();
        if (wasLoggedOn) _app.OnLogout(this, reason);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_link is not null) Drop("session disposed", true);
            _store.Dispose();
        }
    }
}
