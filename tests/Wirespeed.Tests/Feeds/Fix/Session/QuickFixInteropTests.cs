using System.Threading.Tasks;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Session;
using Wirespeed.Feeds.Fix.Session.Tcp;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.Session.QuickFixPeer;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>An ExecutionReport (8) body for the acceptor side of the QuickFIX tests.</summary>
internal readonly struct ExecBody(string execId) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        w.Bytes(37, "WS-ORD-1"u8);
        w.Bytes(17, System.Text.Encoding.ASCII.GetBytes(execId));
        w.Char(150, (byte)'0');
        w.Char(39, (byte)'0');
        w.Bytes(55, "EUR/USD"u8);
        w.Char(54, (byte)'1');
        w.Int(38, 100);
        w.Int(151, 100);
        w.Int(14, 0);
        w.Int(6, 0);
    }
}

/// <summary>
/// Wirespeed's sessions against QuickFIX C++ over loopback, in both roles: logon, heartbeats, test requests each way,
/// application messages (with a repeating group QuickFIX wrote), a resend request QuickFIX sends on a gap answered
/// from Wirespeed's store, and logout. Ports 26976 and 26977 belong to this file.
/// </summary>
public sealed class QuickFixInteropTests
{
    [Fact]
    public async Task Wirespeed_initiator_against_the_QuickFIX_acceptor()
    {
        using var peer = Start("qf_acceptor", 26976);
        var app = new RecordingApp();
        await using var engine = new FixEngine(tickMs: 20);
        var c = engine.Add(new FixSessionOptions
        {
            SenderCompId = "WS-INIT", TargetCompId = "QF-ACC", Role = FixSessionRole.Initiator, Port = 26976, HeartBtIntSeconds = 1,
            ReconnectMinMs = 100, ReconnectMaxMs = 500,
        }, app);
        await engine.StartAsync();
        Assert.True(Wait.Until(() => c.IsLoggedOn), peer.Transcript);
        Assert.True(peer.WaitFor(l => l == "LOGON"), peer.Transcript);

        // Heartbeats both ways at the 1 s interval.
        Assert.True(Wait.Until(() => c.Counters.HeartbeatsReceived >= 2, 8000), peer.Transcript);
        Assert.True(peer.WaitFor(Message("ADMIN_IN", "0"), 8000), peer.Transcript);

        // Our TestRequest: QuickFIX answers with a Heartbeat carrying its TestReqID.
        c.SendTestRequest("ws-probe");
        Assert.True(peer.WaitFor(Message("ADMIN_OUT", "0", "112=ws-probe")), peer.Transcript);

        // An order out; QuickFIX's ExecutionReport back, with its Parties group.
        var order = new OrderBody("qf-1");
        Assert.Equal(FixStatus.Ok, c.Send("D"u8, ref order));
        Assert.True(Wait.Until(() => app.Messages.Exists(m => m.Contains("|11=qf-1|") && m.Contains("|453=1|448=QUICKFIX|"))), peer.Transcript);

        // A message lost in flight: QuickFIX sees the gap, asks for it, and gets it from our store with PossDupFlag.
        var lost = new OrderBody("lost-1");
        c.SendLost("D"u8, ref lost);
        var after = new OrderBody("after-1");
        c.Send("D"u8, ref after);
        Assert.True(peer.WaitFor(Message("ADMIN_OUT", "2")), peer.Transcript);
        Assert.True(peer.WaitFor(Message("APP_IN", "D", "11=lost-1", "43=Y")), peer.Transcript);
        Assert.True(peer.WaitFor(Message("APP_IN", "D", "11=after-1")), peer.Transcript);
        Assert.True(c.Counters.ResendRequestsReceived >= 1);
        Assert.True(c.Counters.MessagesResent >= 1);

        c.Logout("done");
        Assert.True(peer.WaitFor(l => l == "LOGOUT"), peer.Transcript);
        Assert.True(Wait.Until(() => c.State == FixSessionState.Disconnected));
        Assert.Equal("logout confirmed", c.LastReason);
        Assert.Equal(0, c.Counters.RejectsReceived);
        Assert.Equal(0, peer.Count(Message("ADMIN_OUT", "3")));
    }

    [Fact]
    public async Task QuickFIX_initiator_against_the_Wirespeed_acceptor()
    {
        var app = new RecordingApp();
        await using var engine = new FixEngine(tickMs: 20);
        var s = engine.Add(new FixSessionOptions { SenderCompId = "WS-ACC", TargetCompId = "QF-INIT", Role = FixSessionRole.Acceptor, Port = 26977 }, app);
        await engine.StartAsync();
        using var peer = Start("qf_initiator", 26977);
        Assert.True(Wait.Until(() => s.IsLoggedOn), peer.Transcript);
        Assert.True(peer.WaitFor(l => l == "LOGON"), peer.Transcript);
        Assert.Equal(1, s.HeartBtIntSeconds);

        Assert.True(Wait.Until(() => s.Counters.HeartbeatsReceived >= 2, 8000), peer.Transcript);
        Assert.True(peer.WaitFor(Message("ADMIN_IN", "0"), 8000), peer.Transcript);

        // QuickFIX's TestRequest answered by us; ours answered by QuickFIX.
        peer.Command("testrequest qf-probe");
        Assert.True(peer.WaitFor(Message("ADMIN_IN", "0", "112=qf-probe")), peer.Transcript);
        Assert.Equal(1, s.Counters.TestRequestsReceived);
        s.SendTestRequest("ws-probe");
        Assert.True(peer.WaitFor(Message("ADMIN_OUT", "0", "112=ws-probe")), peer.Transcript);

        peer.Command("order qf-ord-1");
        Assert.True(Wait.Until(() => app.Messages.Exists(m => m.Contains("|11=qf-ord-1|"))), peer.Transcript);

        var lost = new ExecBody("lost-exec");
        s.SendLost("8"u8, ref lost);
        var next = new ExecBody("next-exec");
        s.Send("8"u8, ref next);
        Assert.True(peer.WaitFor(Message("ADMIN_OUT", "2")), peer.Transcript);
        Assert.True(peer.WaitFor(Message("APP_IN", "8", "17=lost-exec", "43=Y")), peer.Transcript);
        Assert.True(peer.WaitFor(Message("APP_IN", "8", "17=next-exec")), peer.Transcript);
        Assert.True(s.Counters.MessagesResent >= 1);

        peer.Command("logout");
        Assert.True(peer.WaitFor(l => l == "LOGOUT"), peer.Transcript);
        Assert.True(Wait.Until(() => s.State == FixSessionState.Disconnected));
        Assert.Equal(1, s.Counters.LogoutsReceived);
        Assert.Equal(0, s.Counters.RejectsReceived);
        Assert.Equal(0, peer.Count(Message("ADMIN_OUT", "3")));
    }
}
