using System;
using System.Text;

namespace Wirespeed.Feeds.Fix.Session;

// Outbound: every message gets the standard header (49, 56, 34, 52) from here, application messages are stored
// before they reach the wire, and a ResendRequest is answered from the store (FIX Session Layer, "Resend request").
public sealed partial class FixSession
{
    /// <summary>
    /// Sends an application message of <paramref name="msgType"/> whose body <paramref name="body"/> writes. Returns
    /// Ok, <see cref="FixStatus.OutputFull"/> or the body's first fault (a programmer error: nothing is sent), or
    /// <see cref="FixStatus.NeedMoreBytes"/> when the session is not logged on (nothing is sent or stored).
    /// </summary>
    public FixStatus Send<TBody>(ReadOnlySpan<byte> msgType, ref TBody body) where TBody : struct, IFixBody => Send(msgType, ref body, out _);

    /// <summary>As <see cref="Send{TBody}(ReadOnlySpan{byte}, ref TBody)"/>, with the MsgSeqNum (34) the message went
    /// out with (0 when nothing was sent).</summary>
    public FixStatus Send<TBody>(ReadOnlySpan<byte> msgType, ref TBody body, out int msgSeqNum) where TBody : struct, IFixBody
    {
        lock (_gate)
        {
            msgSeqNum = 0;
            if (_state != FixSessionState.LoggedOn) return FixStatus.NeedMoreBytes;
            int seq = _store.NextSenderSeqNum;
            var status = Emit(msgType, ref body, transmit: true);
            if (status == FixStatus.Ok) msgSeqNum = seq;
            return status;
        }
    }

    /// <summary>Test hook: stores and numbers an application message without putting it on the wire, so the
    /// counterparty sees a gap and must ask for it (a message lost in flight).</summary>
    internal FixStatus SendLost<TBody>(ReadOnlySpan<byte> msgType, ref TBody body) where TBody : struct, IFixBody
    {
        lock (_gate) return Emit(msgType, ref body, transmit: false);
    }

    /// <summary>Sends a TestRequest (35=1) with TestReqID <paramref name="id"/> now; the answer is a Heartbeat carrying it.</summary>
    public void SendTestRequest(string id)
    {
        lock (_gate)
        {
            if (_state != FixSessionState.LoggedOn) return;
            var body = new TestRequestBody(Encoding.ASCII.GetBytes(id));
            Admin("1"u8, ref body);
            Counters.Add(ref Counters.TestRequestsSent);
        }
    }

    /// <summary>Asks the counterparty to resend [<paramref name="begin"/>, <paramref name="end"/>] (0: no end).</summary>
    public void SendResendRequest(int begin, int end)
    {
        lock (_gate)
        {
            var body = new ResendRequestBody(begin, end);
            Admin("2"u8, ref body);
            Counters.Add(ref Counters.ResendRequestsSent);
        }
    }

    /// <summary>Sends SequenceReset-Reset (35=4, 123=N): the counterparty's expected number jumps to <paramref name="newSeqNo"/>.</summary>
    public void SendSequenceReset(int newSeqNo)
    {
        lock (_gate)
        {
            var body = new SequenceResetBody(newSeqNo, gapFill: false);
            Emit("4"u8, ref body, transmit: true, seqOverride: _store.NextSenderSeqNum, advance: false);
            _store.SetNextSenderSeqNum(newSeqNo);
        }
    }

    private void SendLogon(bool reset)
    {
        var body = new LogonBody(_heartBtIntNs / 1_000_000_000L, reset,
            Options.Role == FixSessionRole.Initiator ? Options.Username : null, Options.Role == FixSessionRole.Initiator ? Options.Password : null,
            _version == FixVersion.Fixt11 ? Options.DefaultApplVerId : null);
        Admin("A"u8, ref body);
        Counters.Add(ref Counters.LogonsSent);
    }

    private void SendHeartbeat(ReadOnlySpan<byte> testReqId)
    {
        var body = new TestRequestBody(testReqId.IsEmpty ? null : testReqId.ToArray());
        Admin("0"u8, ref body);
        Counters.Add(ref Counters.HeartbeatsSent);
    }

    private void SendLogout(string? text)
    {
        var body = new TextBody(text);
        Admin("5"u8, ref body);
        Counters.Add(ref Counters.LogoutsSent);
    }

    private void SendReject(int refSeqNum, ReadOnlySpan<byte> refMsgType, int refTag, int reason, string text)
    {
        var body = new RejectBody(refSeqNum, refMsgType.IsEmpty ? null : refMsgType.ToArray(), refTag, reason, text);
        Admin("3"u8, ref body);
        Counters.Add(ref Counters.RejectsSent);
    }

    private void Admin<TBody>(ReadOnlySpan<byte> msgType, ref TBody body) where TBody : struct, IFixBody
    {
        if (_link is null) return;
        Emit(msgType, ref body, transmit: true);
    }

    /// <summary>Writes header and body into the output buffer, stores application messages, hands them to the link.</summary>
    private FixStatus Emit<TBody>(ReadOnlySpan<byte> msgType, ref TBody body, bool transmit, int seqOverride = 0, bool advance = true,
        long origSendingNs = 0) where TBody : struct, IFixBody
    {
        int seq = seqOverride != 0 ? seqOverride : _store.NextSenderSeqNum;
        long nowNs = UnixNs(_clock.UtcNow);
        FixStatus status;
        int length;
        while (true)
        {
            var w = new FixWriter(_out, _beginString, msgType);
            w.Bytes(49, _sender);
            w.Bytes(56, _target);
            w.Int(34, seq);
            if (origSendingNs != 0) w.Char(43, (byte)'Y');
            w.Timestamp(52, nowNs);
            if (origSendingNs != 0) w.Timestamp(122, origSendingNs);
            body.Write(ref w);
            status = w.Finish(out length);
            if (status != FixStatus.OutputFull || _out.Length >= 1 << 22) break;
            _out = new byte[_out.Length * 4];                      // a large message: grow once and write it again
        }
        if (status != FixStatus.Ok) return status;
        var message = _out.AsSpan(0, length);
        bool isAdmin = IsAdmin(msgType);
        if (advance)
        {
            if (isAdmin) _store.SetNextSenderSeqNum(seq + 1);
            else _store.StoreSent(seq, message);                  // on disk before it is on the wire
        }
        if (!isAdmin && advance) Counters.Add(ref Counters.AppMessagesOut);
        if (transmit && _link is not null)
        {
            _link.Send(message);
            _lastSentNs = _clock.MonotonicNs;
            Counters.Add(ref Counters.MessagesOut);
        }
        return FixStatus.Ok;
    }

    private static bool IsAdmin(ReadOnlySpan<byte> msgType) =>
        msgType.Length == 1 && msgType[0] is (byte)'0' or (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'A';

    private static long UnixNs(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>
    /// Answers a ResendRequest for [<paramref name="begin"/>, <paramref name="end"/>]: stored application messages go
    /// again with PossDupFlag=Y and OrigSendingTime; admin messages (never stored) and anything else missing are
    /// covered by one SequenceReset-GapFill per run (FIX Session Layer, "Gap fill").
    /// </summary>
    private void Resend(int begin, int end)
    {
        int gapStart = 0;
        for (int seq = begin; seq <= end && _link is not null; seq++)
        {
            if (!_store.TryGetSent(seq, out var stored))
            {
                if (gapStart == 0) gapStart = seq;
                continue;
            }
            if (gapStart != 0) { SendGapFill(gapStart, seq); gapStart = 0; }
            ResendStored(seq, stored.Span);
        }
        if (gapStart != 0) SendGapFill(gapStart, end + 1);
    }

    private void SendGapFill(int seq, int newSeqNo)
    {
        var body = new SequenceResetBody(newSeqNo, gapFill: true);
        Emit("4"u8, ref body, transmit: true, seqOverride: seq, advance: false, origSendingNs: UnixNs(_clock.UtcNow));
        Counters.Add(ref Counters.GapFillsSent);
    }

    private void ResendStored(int seq, ReadOnlySpan<byte> stored)
    {
        // Our own stored bytes: split tag=value SOH without the dictionary, keep the type and the body, and write a
        // fresh header with PossDupFlag (43) and OrigSendingTime (122) = the original SendingTime (52).
        var body = new StoredBody(stored.ToArray());
        if (!body.Find(35, out var type) || !body.FindTimestamp(52, out long orig)) { SendGapFill(seq, seq + 1); return; }
        Emit(type, ref body, transmit: true, seqOverride: seq, advance: false, origSendingNs: orig);
        Counters.Add(ref Counters.MessagesResent);
    }
}
