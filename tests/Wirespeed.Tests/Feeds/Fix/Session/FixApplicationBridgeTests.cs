using System;
using System.Collections.Generic;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Application;
using Wirespeed.Feeds.Fix.Session;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.Session.SessionMessages;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>The application seam over a real session: sends get the session's numbers, callbacks arrive in order.</summary>
public sealed class FixApplicationBridgeTests
{
    private sealed class Handler : IFixApplicationHandler
    {
        public readonly List<string> Events = new();
        public void OnApplicationMessage(in FixView message, long receiveNs) => Events.Add("msg " + FixTestMessages.S(message.MsgType) + (receiveNs > 0 ? "" : " no-time"));
        public void OnSessionUp() => Events.Add("up");
        public void OnSessionDown() => Events.Add("down");
    }

    private readonly struct Ping : IFixApplicationMessage
    {
        public ReadOnlySpan<byte> MsgType => "D"u8;
        public void WriteBody(ref FixWriter writer)
        {
            writer.Bytes(11, "seam-1"u8);
            writer.Char(54, (byte)'1');
            writer.Char(40, (byte)'1');
        }
    }

    [Fact]
    public void Seam_sends_with_session_numbers_and_hears_messages_rejects_and_the_session_state()
    {
        var clock = new ManualClock();
        var link = new CaptureLink();
        var handler = new Handler();
        var session = new FixSession(Acceptor(), new FixMemoryStore(), new FixApplicationBridge<Handler>(handler), clock);
        var seam = new FixApplicationSession(session);
        var ping = new Ping();
        Assert.Equal(0, seam.Send(ref ping));                         // not logged on: nothing sent
        session.Connected(link);
        session.Received(Logon());
        Assert.True(seam.IsLoggedOn);
        Assert.Equal(2, seam.Send(ref ping));
        Assert.Equal(("D", "2", "seam-1"), (Field(link.Last, 35), Field(link.Last, 34), Field(link.Last, 11)));
        session.Received(From("8", 2, "37=o|17=e|39=0|54=1|14=0|6=0|151=1|150=0|"));
        session.Received(From("3", 3, "45=2|373=5|"));
        session.Received(From("0", 4));
        session.Received(From("5", 5));
        Assert.Equal(new[] { "up", "msg 8", "msg 3", "down" }, handler.Events);
    }
}
