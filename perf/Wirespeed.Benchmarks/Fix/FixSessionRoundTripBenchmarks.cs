using BenchmarkDotNet.Attributes;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Session;

namespace Wirespeed.Benchmarks.Fix;

/// <summary>
/// Service time of one order round trip in the session layer alone, no sockets: the trader's session writes and
/// stores a NewOrderSingle (D), the exchange's session frames, parses and checks it, its application answers with an
/// ExecutionReport (8) that its session writes and stores, and the trader's session frames, parses and checks that.
/// The two sessions are joined by links that hand bytes straight to the other side, on the calling thread. Beside the
/// loopback TCP figure of <see cref="FixRoundTripHarness"/>, this is the part of it that is Wirespeed's code.
/// </summary>
[MemoryDiagnoser]
public class FixSessionRoundTripBenchmarks
{
    private sealed class Direct : IFixSessionLink
    {
        public FixSession? Peer;
        public void Send(System.ReadOnlySpan<byte> message) => Peer!.Received(message);
        public void Disconnect() { }
    }

    private sealed class Counting : IFixApplication
    {
        public long Acks;
        public void OnLogon(FixSession session) { }
        public void OnLogout(FixSession session, string reason) { }
        public void OnMessage(FixSession session, FixView message) => Acks++;
    }

    /// <summary>A store that copies each sent message into one of 1,024 reused slots: the copy of a real store without
    /// its growth over millions of benchmark invocations (FixMemoryStore keeps every message of the day).</summary>
    private sealed class RingStore : IFixMessageStore
    {
        private readonly byte[][] _slots = new byte[1024][];
        public RingStore() { for (int i = 0; i < _slots.Length; i++) _slots[i] = new byte[1024]; }
        public int NextSenderSeqNum { get; private set; } = 1;
        public int NextTargetSeqNum { get; private set; } = 1;
        public System.DateTime CreatedUtc { get; private set; } = System.DateTime.UtcNow;
        public void StoreSent(int seqNum, System.ReadOnlySpan<byte> message)
        {
            message.CopyTo(_slots[seqNum & 1023]);
            NextSenderSeqNum = seqNum + 1;
        }
        public bool TryGetSent(int seqNum, out System.ReadOnlyMemory<byte> message) { message = default; return false; }
        public void SetNextSenderSeqNum(int value) => NextSenderSeqNum = value;
        public void SetNextTargetSeqNum(int value) => NextTargetSeqNum = value;
        public void Reset(System.DateTime utcNow) { NextSenderSeqNum = NextTargetSeqNum = 1; CreatedUtc = utcNow; }
        public void Dispose() { }
    }

    private FixSession _trader = null!, _exchange = null!;
    private readonly Counting _acks = new();
    private long _id;

    [GlobalSetup]
    public void Setup()
    {
        _exchange = new FixSession(new FixSessionOptions { SenderCompId = "EXCH", TargetCompId = "TRADER", Role = FixSessionRole.Acceptor, Port = 26479 },
            new RingStore(), new FixRoundTripHarness.Exchange());
        _trader = new FixSession(new FixSessionOptions { SenderCompId = "TRADER", TargetCompId = "EXCH", Role = FixSessionRole.Initiator, Port = 26479 },
            new RingStore(), _acks);
        var toExchange = new Direct { Peer = _exchange };
        var toTrader = new Direct { Peer = _trader };
        _exchange.Connected(toTrader);
        _trader.Connected(toExchange);                               // Logon out, Logon back, on this thread
        if (!_trader.IsLoggedOn) throw new System.InvalidOperationException("the sessions did not log on");
    }

    [Benchmark(Description = "D -> 8, both sessions, no sockets")]
    public long RoundTrip()
    {
        var order = new FixRoundTripHarness.Order(++_id);
        _trader.Send("D"u8, ref order);
        return _acks.Acks;
    }
}
