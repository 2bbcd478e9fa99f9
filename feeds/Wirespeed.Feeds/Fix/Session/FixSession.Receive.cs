using System;

namespace Wirespeed.Feeds.Fix.Session;

// Inbound: the checks every message passes (FIX Session Layer, "Message recovery" and the session-level test cases),
// in the order the specification applies them, then the admin messages.
public sealed partial class FixSession
{
    private void OnMessage(ReadOnlySpan<byte> bytes)
    {
        var status = _parser.Parse(bytes, out var m);
        Counters.Add(ref Counters.MessagesIn);
        _lastReceivedNs = _clock.MonotonicNs;
        _testRequestSentNs = 0;                                        // any message shows the counterparty is alive
        if (status is FixStatus.BadBeginString or FixStatus.BadBodyLength or FixStatus.BadCheckSum)
        {
            Counters.Add(ref Counters.Garbled);
            return;
        }
        // A message that failed validation may have stopped the parse before its header was indexed: read the
        // session's header fields straight from the bytes then (our header checks come before any Reject).
        bool whole = status == FixStatus.Ok;
        var type = Header(m, whole, 35);
        bool isLogon = type.Length == 1 && type[0] == (byte)'A';

        if (_state is FixSessionState.AwaitingLogon or FixSessionState.LogonSent && !isLogon)
        {
            // The first message must be a Logon; anything else ends the connection without an answer.
            Counters.Add(ref Counters.FirstMessageNotLogon);
            Drop("first message was not a Logon", true);
            return;
        }
        if (m.Version != _version)
        {
            Counters.Add(ref Counters.BeginStringMismatches);
            LogoutAndDrop($"incorrect BeginString: expected {Options.BeginString}");
            return;
        }
        if (FixValue.TryInt(Header(m, whole, 34), out long seqLong) != FixStatus.Ok || seqLong < 1 || seqLong > int.MaxValue)
        {
            Counters.Add(ref Counters.SeqMissing);
            LogoutAndDrop("MsgSeqNum(34) missing or not a positive number");
            return;
        }
        int seq = (int)seqLong;
        int expected = _store.NextTargetSeqNum;

        if (!Header(m, whole, 49).SequenceEqual(_target) || !Header(m, whole, 56).SequenceEqual(_sender))
        {
            // A wrong CompID: Reject (373=9 CompID problem), then Logout (FIX Session Layer test case 2.m).
            Counters.Add(ref Counters.CompIdMismatches);
            if (_state == FixSessionState.LoggedOn)
            {
                SendReject(seq, type, 0, 9, "CompID problem");
                if (seq == expected) _store.SetNextTargetSeqNum(seq + 1);
            }
            LogoutAndDrop("CompID problem: expected SenderCompID " + Options.TargetCompId + " and TargetCompID " + Options.SenderCompId);
            return;
        }

        var pd = Header(m, whole, 43);
        bool possDup = pd.Length == 1 && pd[0] == (byte)'Y';
        if (status == FixStatus.Ok && type.Length == 1 && type[0] == (byte)'4' && !IsGapFill(m))
        {
            OnSequenceReset(m, seq);                                    // Reset mode ignores MsgSeqNum
            return;
        }
        if (seq < expected)
        {
            if (isLogon && whole && m.TryGet(141, out var r) && r.Length == 1 && r[0] == (byte)'Y') { OnLogon(m, seq, expected); return; }
            if (isLogon || !possDup)
            {
                Counters.Add(ref Counters.SeqTooLow);
                LogoutAndDrop($"MsgSeqNum too low, expecting {expected} but received {seq}");
                return;
            }
            if (!CheckOrigSendingTime(m, seq, type)) return;
            Counters.Add(ref Counters.DuplicatesIgnored);
            return;
        }
        if (status != FixStatus.Ok)
        {
            if (seq > expected) { OnGap(seq, expected); return; }
            Counters.Add(ref Counters.Invalid);
            SendReject(seq, type, _parser.ErrorTag, status.SessionRejectReason(), status.Name());
            _store.SetNextTargetSeqNum(seq + 1);
            if (isLogon) LogoutAndDrop("invalid Logon: " + status.Name());
            return;
        }
        if (possDup && !CheckOrigSendingTime(m, seq, type)) return;
        if (isLogon) { OnLogon(m, seq, expected); return; }
        if (seq > expected)
        {
            if (type[0] == (byte)'2' && type.Length == 1) OnResendRequest(m);   // answer theirs before asking for ours
            else if (type[0] == (byte)'5' && type.Length == 1) { Counters.Add(ref Counters.LogoutsReceived); LogoutAndDrop("counterparty logged out"); return; }
            OnGap(seq, expected);
            return;
        }

        bool advance = true;
        if (type.Length == 1)
        {
            switch (type[0])
            {
                case (byte)'0': OnHeartbeat(m); break;
                case (byte)'1': OnTestRequest(m); break;
                case (byte)'2': OnResendRequest(m); break;
                case (byte)'3':
                    // Handed on as well: its RefSeqNum may name an application message the application must settle.
                    Counters.Add(ref Counters.RejectsReceived);
                    _app.OnMessage(this, m);
                    break;
                case (byte)'4': advance = OnGapFill(m, seq); break;
                case (byte)'5': _store.SetNextTargetSeqNum(seq + 1); OnLogout(); return;
                default: OnApplication(m); break;
            }
        }
        else OnApplication(m);
        if (advance) _store.SetNextTargetSeqNum(seq + 1);
        ContinueResend();
    }

    /// <summary>A header field: from the index when the parse succeeded, else by a scan of the raw fields.</summary>
    private static ReadOnlySpan<byte> Header(FixView m, bool whole, int tag)
    {
        if (whole) return m.TryGet(tag, out var v) ? v : default;
        var b = m.Bytes;
        for (int p = 0; p < b.Length;)
        {
            int eq = b.Slice(p).IndexOf((byte)'=');
            if (eq <= 0) break;
            int soh = b.Slice(p + eq + 1).IndexOf(FixFramer.Soh);
            if (soh < 0) break;
            if (FixValue.TryInt(b.Slice(p, eq), out long t) == FixStatus.Ok && t == tag) return b.Slice(p + eq + 1, soh);
            p += eq + 1 + soh + 1;
        }
        return default;
    }

    private static bool IsGapFill(FixView m) => m.TryGet(123, out var v) && v.Length == 1 && v[0] == (byte)'Y';

    /// <summary>PossDupFlag=Y needs OrigSendingTime (122) no later than SendingTime (52) (FIX Session Layer test case 2.f/2.g).</summary>
    private bool CheckOrigSendingTime(FixView m, int seq, ReadOnlySpan<byte> type)
    {
        bool isGapFill = type.Length == 1 && type[0] == (byte)'4';
        if (!m.Has(122))
        {
            if (isGapFill) return true;                                // gap fills carry no original to date
            Counters.Add(ref Counters.OrigSendingTimeProblems);
            SendReject(seq, type, 122, 1, "OrigSendingTime(122) required with PossDupFlag=Y");
            if (seq == _store.NextTargetSeqNum) _store.SetNextTargetSeqNum(seq + 1);
            return false;
        }
        if (m.TryGetTimestamp(122, out long orig) != FixStatus.Ok || m.TryGetTimestamp(52, out long sending) != FixStatus.Ok || orig > sending)
        {
            Counters.Add(ref Counters.OrigSendingTimeProblems);
            SendReject(seq, type, 122, 10, "SendingTime accuracy problem: OrigSendingTime after SendingTime");
            if (seq == _store.NextTargetSeqNum) _store.SetNextTargetSeqNum(seq + 1);
            LogoutAndDrop("OrigSendingTime(122) later than SendingTime(52)");
            return false;
        }
        return true;
    }

    private void OnLogon(FixView m, int seq, int expected)
    {
        Counters.Add(ref Counters.LogonsReceived);
        if (_state == FixSessionState.LoggedOn || _state == FixSessionState.LogoutSent)
        {
            // A second Logon on a live session: reject it, keep the session.
            if (seq == expected) _store.SetNextTargetSeqNum(seq + 1);
            SendReject(seq, m.MsgType, 0, 99, "already logged on");
            return;
        }
        if (m.TryGetInt(108, out long hb) != FixStatus.Ok || hb < 1 || hb > 3600)
        {
            Counters.Add(ref Counters.LogonsRejected);
            LogoutAndDrop("HeartBtInt(108) missing or outside 1..3600");
            return;
        }
        bool reset = m.TryGet(141, out var r) && r.Length == 1 && r[0] == (byte)'Y';
        if (Options.Role == FixSessionRole.Acceptor)
        {
            if (Options.Username is not null && (!m.TryGet(553, out var user) || !Equal(user, Options.Username) || !m.TryGet(554, out var pass) || !Equal(pass, Options.Password!)))
            {
                Counters.Add(ref Counters.LogonsRejected);
                LogoutAndDrop("invalid username or password");
                return;
            }
            if (reset)
            {
                // ResetSeqNumFlag: both sides start again at 1; the Logon itself is MsgSeqNum 1 (FIX Session Layer 4.1).
                ResetSequences();
                expected = 1;
            }
            _heartBtIntNs = hb * 1_000_000_000L;
            _state = FixSessionState.LoggedOn;
            SendLogon(reset);
        }
        else
        {
            if (reset && !Options.ResetOnLogon) { ResetSequences(); expected = 1; }
            _state = FixSessionState.LoggedOn;
        }
        _stateSinceNs = _clock.MonotonicNs;
        // seq < expected never reaches here: OnMessage logs such a Logon out, unless it resets (then expected is 1).
        _app.OnLogon(this);
        if (seq == expected) _store.SetNextTargetSeqNum(seq + 1);
        else OnGap(seq, expected);
    }

    private static bool Equal(ReadOnlySpan<byte> a, string b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    private void OnHeartbeat(FixView _)
    {
        Counters.Add(ref Counters.HeartbeatsReceived);
    }

    private void OnTestRequest(FixView m)
    {
        Counters.Add(ref Counters.TestRequestsReceived);
        m.TryGet(112, out var id);
        SendHeartbeat(id);
    }

    private void OnResendRequest(FixView m)
    {
        Counters.Add(ref Counters.ResendRequestsReceived);
        var s7 = m.TryGetInt(7, out long begin);
        var s16 = m.TryGetInt(16, out long end);
        if (s7 != FixStatus.Ok || s16 != FixStatus.Ok || begin < 1 || end < 0)
        {
            m.TryGetInt(34, out long seq);
            int refTag = s7 != FixStatus.Ok || begin < 1 ? 7 : 16;
            var fault = s7 != FixStatus.Ok ? s7 : s16;
            SendReject((int)seq, m.MsgType, refTag, fault != FixStatus.Ok ? fault.SessionRejectReason() : 5,
                "BeginSeqNo(7) and EndSeqNo(16) must be numbers, BeginSeqNo at least 1 (EndSeqNo 0: no end)");
            return;
        }
        int last = _store.NextSenderSeqNum - 1;
        // EndSeqNo 0 (or 999999 in FIX 4.2 and earlier) means "everything after BeginSeqNo".
        int to = end == 0 || end > last ? last : (int)end;
        Resend((int)begin, to);
    }

    /// <summary>SequenceReset in GapFill mode at the expected MsgSeqNum: NewSeqNo must move forward.</summary>
    private bool OnGapFill(FixView m, int seq)
    {
        Counters.Add(ref Counters.GapFillsReceived);
        if (m.TryGetInt(36, out long next) != FixStatus.Ok || next <= seq || next > int.MaxValue)
        {
            Counters.Add(ref Counters.SequenceResetsRejected);
            SendReject(seq, m.MsgType, 36, 5, "NewSeqNo(36) must exceed MsgSeqNum");
            return true;
        }
        _store.SetNextTargetSeqNum((int)next);
        return false;
    }

    /// <summary>SequenceReset in Reset mode: MsgSeqNum ignored; NewSeqNo may not go back (FIX Session Layer test case 11).</summary>
    private void OnSequenceReset(FixView m, int seq)
    {
        Counters.Add(ref Counters.SequenceResetsReceived);
        int expected = _store.NextTargetSeqNum;
        if (m.TryGetInt(36, out long next) != FixStatus.Ok || next < expected || next > int.MaxValue)
        {
            Counters.Add(ref Counters.SequenceResetsRejected);
            SendReject(seq, m.MsgType, 36, 5, $"NewSeqNo(36) may not be below the expected {expected}");
            return;
        }
        _store.SetNextTargetSeqNum((int)next);
        if (_resendEnd != 0 && next > _highestSeen) _resendEnd = _highestSeen = 0;
    }

    private void OnLogout()
    {
        Counters.Add(ref Counters.LogoutsReceived);
        if (_state == FixSessionState.LogoutSent) { Drop("logout confirmed", true); return; }
        SendLogout(null);
        Drop("counterparty logged out", true);
    }

    private void OnApplication(FixView m)
    {
        Counters.Add(ref Counters.AppMessagesIn);
        _app.OnMessage(this, m);
    }

    /// <summary>A MsgSeqNum above the expected one: ask for the missing range (chunked) unless a request is out.</summary>
    private void OnGap(int seq, int expected)
    {
        Counters.Add(ref Counters.GapsDetected);
        if (seq > _highestSeen) _highestSeen = seq;
        if (_resendEnd != 0) return;                                   // the pending request (and what follows it) covers this
        RequestResendRange(expected);
    }

    /// <summary>After an in-sequence message: when the pending request is satisfied, ask for the next chunk, or finish.
    /// Unchunked, the one request (EndSeqNo 0) covers everything the counterparty had sent, so it ends when the
    /// highest number seen is in.</summary>
    private void ContinueResend()
    {
        if (_resendEnd == 0) return;
        int expected = _store.NextTargetSeqNum;
        if (expected <= _resendEnd && expected <= _highestSeen) return;
        if (expected <= _highestSeen) RequestResendRange(expected);
        else _resendEnd = _highestSeen = 0;
    }

    private void RequestResendRange(int begin)
    {
        int chunk = Options.ResendChunkSize;
        if (chunk == 0)
        {
            _resendEnd = int.MaxValue;
            SendResendRequest(begin, 0);
            return;
        }
        int end = (int)Math.Min((long)begin + chunk - 1, _highestSeen);
        _resendEnd = end;
        SendResendRequest(begin, end);
    }

    private void LogoutAndDrop(string reason)
    {
        if (_state is FixSessionState.LoggedOn or FixSessionState.LogoutSent or FixSessionState.AwaitingLogon or FixSessionState.LogonSent)
            SendLogout(reason);
        Drop(reason, true);
    }
}
