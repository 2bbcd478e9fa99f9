using System;

namespace Wirespeed.Feeds.Fix.Session;

// The bodies of the session-level messages (FIX 4.4 / FIXT.1.1 session messages), each a small struct so the
// session writes them through the same generic path as application messages.

/// <summary>Logon (A): EncryptMethod 98, HeartBtInt 108, ResetSeqNumFlag 141, Username 553, Password 554,
/// DefaultApplVerID 1137 (FIXT.1.1 only).</summary>
internal readonly struct LogonBody(long heartBtInt, bool reset, string? username, string? password, string? defaultApplVerId) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        w.Int(98, 0);                                             // EncryptMethod 0: none
        w.Int(108, heartBtInt);
        if (reset) w.Char(141, (byte)'Y');
        if (username is not null) w.Bytes(553, System.Text.Encoding.ASCII.GetBytes(username));
        if (password is not null) w.Bytes(554, System.Text.Encoding.ASCII.GetBytes(password));
        if (defaultApplVerId is not null) w.Bytes(1137, System.Text.Encoding.ASCII.GetBytes(defaultApplVerId));
    }
}

/// <summary>Heartbeat (0) or TestRequest (1): TestReqID 112 when set.</summary>
internal readonly struct TestRequestBody(byte[]? id) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        if (id is not null) w.Bytes(112, id);
    }
}

/// <summary>ResendRequest (2): BeginSeqNo 7, EndSeqNo 16 (0: no end).</summary>
internal readonly struct ResendRequestBody(int begin, int end) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        w.Int(7, begin);
        w.Int(16, end);
    }
}

/// <summary>SequenceReset (4): GapFillFlag 123, NewSeqNo 36.</summary>
internal readonly struct SequenceResetBody(int newSeqNo, bool gapFill) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        w.Char(123, gapFill ? (byte)'Y' : (byte)'N');
        w.Int(36, newSeqNo);
    }
}

/// <summary>Logout (5): Text 58 when set.</summary>
internal readonly struct TextBody(string? text) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        if (!string.IsNullOrEmpty(text)) w.Bytes(58, System.Text.Encoding.ASCII.GetBytes(text));
    }
}

/// <summary>Reject (3): RefSeqNum 45, RefTagID 371, RefMsgType 372, SessionRejectReason 373, Text 58.</summary>
internal readonly struct RejectBody(int refSeqNum, byte[]? refMsgType, int refTag, int reason, string text) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        w.Int(45, refSeqNum);
        if (refTag > 0) w.Int(371, refTag);
        if (refMsgType is not null) w.Bytes(372, refMsgType);
        if (reason >= 0) w.Int(373, reason);
        if (text.Length > 0) w.Bytes(58, System.Text.Encoding.ASCII.GetBytes(text));
    }
}

/// <summary>The body of a message we stored: every field but the standard header and trailer, in wire order.</summary>
internal readonly struct StoredBody(byte[] message) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        var m = message.AsSpan();
        for (int p = 0; p < m.Length;)
        {
            int eq = m.Slice(p).IndexOf((byte)'=');
            if (eq < 0) return;
            int soh = m.Slice(p + eq + 1).IndexOf(FixFramer.Soh);
            if (soh < 0) return;
            System.Buffers.Text.Utf8Parser.TryParse(m.Slice(p, eq), out int tag, out _);
            var value = m.Slice(p + eq + 1, soh);
            p += eq + 1 + soh + 1;
            if (tag is 8 or 9 or 35 or 49 or 56 or 34 or 52 or 43 or 122 or 97 or 10) continue;   // the session writes these
            w.Bytes(tag, value);
        }
    }

    public bool Find(int tag, out ReadOnlySpan<byte> value)
    {
        var m = message.AsSpan();
        for (int p = 0; p < m.Length;)
        {
            int eq = m.Slice(p).IndexOf((byte)'=');
            if (eq < 0) break;
            int soh = m.Slice(p + eq + 1).IndexOf(FixFramer.Soh);
            if (soh < 0) break;
            if (System.Buffers.Text.Utf8Parser.TryParse(m.Slice(p, eq), out int t, out _) && t == tag) { value = m.Slice(p + eq + 1, soh); return true; }
            p += eq + 1 + soh + 1;
        }
        value = default;
        return false;
    }

    public bool FindTimestamp(int tag, out long unixNs)
    {
        unixNs = 0;
        return Find(tag, out var v) && FixValue.TryUtcTimestamp(v, out unixNs) == FixStatus.Ok;
    }
}
