using System.Collections.Generic;
using System.Threading;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>Every outcome of a session, one counter each. Written under the session's lock; read from any thread.</summary>
public sealed class FixSessionCounters
{
    public long MessagesIn, MessagesOut, AppMessagesIn, AppMessagesOut;
    public long Connects, Disconnects;
    public long LogonsSent, LogonsReceived, LogonsRejected, LogonTimeouts;
    public long HeartbeatsSent, HeartbeatsReceived, TestRequestsSent, TestRequestsReceived, PeerSilentDisconnects;
    public long ResendRequestsSent, ResendRequestsReceived, MessagesResent, GapFillsSent;
    public long GapFillsReceived, SequenceResetsReceived, SequenceResetsRejected, SequenceResets;
    public long RejectsSent, RejectsReceived, LogoutsSent, LogoutsReceived, LogoutTimeouts;
    /// <summary>Framing failures (BeginString, BodyLength, CheckSum): ignored without a Reject (FIX Session Layer, garbled messages).</summary>
    public long Garbled;
    /// <summary>Bytes skipped before a message started.</summary>
    public long GarbageBytes;
    /// <summary>Framed messages that failed field validation and were rejected (35=3).</summary>
    public long Invalid;
    public long CompIdMismatches, BeginStringMismatches, SeqTooLow, SeqMissing, GapsDetected, DuplicatesIgnored;
    public long FirstMessageNotLogon, OrigSendingTimeProblems, OutsideSchedule;

    internal void Add(ref long counter) => Interlocked.Increment(ref counter);

    /// <summary>Every counter by its snake_case name, for reports.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Snapshot() => new KeyValuePair<string, long>[]
    {
        new("messages_in", Volatile.Read(ref MessagesIn)), new("messages_out", Volatile.Read(ref MessagesOut)),
        new("app_messages_in", Volatile.Read(ref AppMessagesIn)), new("app_messages_out", Volatile.Read(ref AppMessagesOut)),
        new("connects", Volatile.Read(ref Connects)), new("disconnects", Volatile.Read(ref Disconnects)),
        new("logons_sent", Volatile.Read(ref LogonsSent)), new("logons_received", Volatile.Read(ref LogonsReceived)),
        new("logons_rejected", Volatile.Read(ref LogonsRejected)), new("logon_timeouts", Volatile.Read(ref LogonTimeouts)),
        new("heartbeats_sent", Volatile.Read(ref HeartbeatsSent)), new("heartbeats_received", Volatile.Read(ref HeartbeatsReceived)),
        new("test_requests_sent", Volatile.Read(ref TestRequestsSent)), new("test_requests_received", Volatile.Read(ref TestRequestsReceived)),
        new("peer_silent_disconnects", Volatile.Read(ref PeerSilentDisconnects)),
        new("resend_requests_sent", Volatile.Read(ref ResendRequestsSent)), new("resend_requests_received", Volatile.Read(ref ResendRequestsReceived)),
        new("messages_resent", Volatile.Read(ref MessagesResent)), new("gap_fills_sent", Volatile.Read(ref GapFillsSent)),
        new("gap_fills_received", Volatile.Read(ref GapFillsReceived)), new("sequence_resets_received", Volatile.Read(ref SequenceResetsReceived)),
        new("sequence_resets_rejected", Volatile.Read(ref SequenceResetsRejected)), new("sequence_resets", Volatile.Read(ref SequenceResets)),
        new("rejects_sent", Volatile.Read(ref RejectsSent)), new("rejects_received", Volatile.Read(ref RejectsReceived)),
        new("logouts_sent", Volatile.Read(ref LogoutsSent)), new("logouts_received", Volatile.Read(ref LogoutsReceived)),
        new("logout_timeouts", Volatile.Read(ref LogoutTimeouts)), new("garbled", Volatile.Read(ref Garbled)),
        new("garbage_bytes", Volatile.Read(ref GarbageBytes)), new("invalid", Volatile.Read(ref Invalid)),
        new("comp_id_mismatches", Volatile.Read(ref CompIdMismatches)), new("begin_string_mismatches", Volatile.Read(ref BeginStringMismatches)),
        new("seq_too_low", Volatile.Read(ref SeqTooLow)), new("seq_missing", Volatile.Read(ref SeqMissing)),
        new("gaps_detected", Volatile.Read(ref GapsDetected)), new("duplicates_ignored", Volatile.Read(ref DuplicatesIgnored)),
        new("first_message_not_logon", Volatile.Read(ref FirstMessageNotLogon)),
        new("orig_sending_time_problems", Volatile.Read(ref OrigSendingTimeProblems)), new("outside_schedule", Volatile.Read(ref OutsideSchedule)),
    };
}
