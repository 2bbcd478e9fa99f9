using System;
using System.Collections.Generic;
using System.Text;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Session;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : IFixClock
{
    public long MonotonicNs { get; set; } = 1_000_000_000;
    public DateTime Start { get; set; } = new(2026, 12, 8, 10, 0, 0, DateTimeKind.Utc);
    public DateTime UtcNow => Start.AddTicks(MonotonicNs / 100);
    public void Advance(double seconds) => MonotonicNs += (long)(seconds * 1e9);
}

/// <summary>A link that keeps what the session sent.</summary>
internal sealed class CaptureLink : IFixSessionLink
{
    public List<byte[]> Sent { get; } = new();
    public bool Closed { get; private set; }
    public void Send(ReadOnlySpan<byte> message) => Sent.Add(message.ToArray());
    public void Disconnect() => Closed = true;

    /// <summary>Sent messages as '|' text.</summary>
    public List<string> Texts()
    {
        var all = new List<string>();
        foreach (var m in Sent) all.Add(FixTestMessages.Text(m));
        return all;
    }

    public string Last => FixTestMessages.Text(Sent[^1]);

    /// <summary>Takes the messages sent since the last call.</summary>
    public List<byte[]> Take()
    {
        var taken = new List<byte[]>(Sent);
        Sent.Clear();
        return taken;
    }
}

/// <summary>An application that records what it saw.</summary>
internal sealed class RecordingApp : IFixApplication
{
    public int Logons, Logouts;
    public List<string> Messages { get; } = new();
    public string LastLogoutReason = "";
    public void OnLogon(FixSession session) => Logons++;
    public void OnLogout(FixSession session, string reason) { Logouts++; LastLogoutReason = reason; }
    public void OnMessage(FixSession session, FixView message) => Messages.Add(FixTestMessages.Text(message.Bytes));
}

/// <summary>A NewOrderSingle (D) body for tests.</summary>
internal struct OrderBody(string clOrdId) : IFixBody
{
    public readonly void Write(ref FixWriter w)
    {
        w.Bytes(11, Encoding.ASCII.GetBytes(clOrdId));
        w.Bytes(55, "EUR/USD"u8);
        w.Char(54, (byte)'1');
        w.Timestamp(60, 1_800_000_000_000_000_000);
        w.Int(38, 100);
        w.Char(40, (byte)'2');
        w.Fixed(44, 18_250, 4);
    }
}

internal static class SessionMessages
{
    /// <summary>A message from THEM to US: "35=type|49=THEM|56=US|34=seq|52=…|" + fields.</summary>
    public static byte[] From(string type, int seq, string fields = "", string sender = "THEM", string target = "US", string begin = "FIX.4.4",
        string sendingTime = "20261208-10:00:00.000") =>
        FixTestMessages.Msg($"35={type}|49={sender}|56={target}|34={seq}|52={sendingTime}|" + fields, begin);

    public static byte[] Logon(int seq = 1, int heartBtInt = 30, string extra = "") => From("A", seq, $"98=0|108={heartBtInt}|" + extra);

    /// <summary>The value of <paramref name="tag"/> in '|' text, or null.</summary>
    public static string? Field(string text, int tag)
    {
        string key = "|" + tag + "=";
        int at = ("|" + text).IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return null;
        int start = at + key.Length - 1;
        int end = text.IndexOf('|', start);
        return text.Substring(start, end - start);
    }

    public static FixSessionOptions Acceptor(int port = 26477) => new()
    {
        SenderCompId = "US", TargetCompId = "THEM", Role = FixSessionRole.Acceptor, Port = port, HeartBtIntSeconds = 30,
    };

    public static FixSessionOptions Initiator(int port = 26477) => new()
    {
        SenderCompId = "US", TargetCompId = "THEM", Role = FixSessionRole.Initiator, Port = port, HeartBtIntSeconds = 10,
    };
}
