using System.Text;

namespace Wirespeed.Feeds.Fix.Session;

// Time: Heartbeat after HeartBtInt of our silence; TestRequest after TestRequestFactor × HeartBtInt of theirs, and a
// disconnect when the same silence follows it (FIX Session Layer, "Heartbeat" and "TestRequest"); logon and logout
// timeouts; the end of the schedule's window.
public sealed partial class FixSession
{
    /// <summary>Advances the timers; call it often (every 100 ms or so; the transport's timer does).</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (_link is null || _state == FixSessionState.Disconnected) return;
            long now = _clock.MonotonicNs;
            switch (_state)
            {
                case FixSessionState.AwaitingLogon or FixSessionState.LogonSent:
                    if (now - _stateSinceNs >= Options.LogonTimeoutMs * 1_000_000L)
                    {
                        Counters.Add(ref Counters.LogonTimeouts);
                        Drop("no Logon within " + Options.LogonTimeoutMs + " ms", true);
                    }
                    return;
                case FixSessionState.LogoutSent:
                    if (now - _stateSinceNs >= Options.LogoutTimeoutMs * 1_000_000L)
                    {
                        Counters.Add(ref Counters.LogoutTimeouts);
                        Drop("no Logout answer within " + Options.LogoutTimeoutMs + " ms", true);
                    }
                    return;
            }
            var utc = _clock.UtcNow;
            bool newDay = Options.Schedule.DailyReset && Options.Schedule.WindowStart(utc) is { } start && _store.CreatedUtc < start;
            if (!Options.Schedule.IsActive(utc) || newDay)
            {
                // Outside the window, or a new window began while connected (an always-up session at UTC midnight):
                // log out; the next connection starts the new FIX session at 1 (ResetIfNewPeriod).
                Counters.Add(ref Counters.OutsideSchedule);
                SendLogout(newDay ? "a new session period began: logging out to reset sequence numbers" : "end of the session's schedule");
                _state = FixSessionState.LogoutSent;
                _stateSinceNs = now;
                return;
            }
            long silence = (long)(_heartBtIntNs * Options.TestRequestFactor);
            if (_testRequestSentNs != 0)
            {
                if (now - _testRequestSentNs >= silence)
                {
                    Counters.Add(ref Counters.PeerSilentDisconnects);
                    LogoutAndDrop("no answer to TestRequest: counterparty silent");
                    return;
                }
            }
            else if (now - _lastReceivedNs >= silence)
            {
                _testRequestId++;
                var body = new TestRequestBody(Encoding.ASCII.GetBytes("TR-" + _testRequestId));
                Admin("1"u8, ref body);
                Counters.Add(ref Counters.TestRequestsSent);
                _testRequestSentNs = now;
            }
            if (_link is not null && now - _lastSentNs >= _heartBtIntNs) SendHeartbeat(default);
        }
    }
}
