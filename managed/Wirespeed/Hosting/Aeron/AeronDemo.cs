using System;
using System.IO;
using Wirespeed.Commands;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Hosting.Aeron;

/// <summary>
/// <c>wirespeed demo --aeron [--messages N] [--events-channel URI] [--signals-channel URI]</c> (issue 13, DESIGN.md "Beyond one box"): two boxes in one process, on one
/// thread that alternates between them. Box A decodes the simulator's ITCH day into normalised 64-byte events, builds its
/// books and publishes the events on an Aeron multicast publication (loopback). Box B subscribes, builds its own books
/// from the events alone, runs the configured patterns on them (the same pattern engine as the pipeline, inline, with no
/// breaker gate) and publishes each signal on a second Aeron stream, which box A subscribes to. The summary shows both
/// sides' counts and whether B's book checksum equals A's.
/// </summary>
internal static class AeronDemo
{
    public const string EventsChannel = "aeron:udp?endpoint=239.192.0.11:40461|interface=127.0.0.1|term-length=1m|alias=events";
    public const string SignalsChannel = "aeron:udp?endpoint=239.192.0.13:40463|interface=127.0.0.1|term-length=64k|alias=signals";
    public const int EventsStream = 1001;
    public const int SignalsStream = 1002;

    /// <summary>Box B's per-event work: book, then the publish stage the pattern agents read.</summary>
    private struct BoxB : IEventHandler
    {
        public OrderBookSet Books;
        public TopOfBookPublishStage Publish;
        public StageContext Context;

        public void OnEvent(ref MarketEvent evt)
        {
            Books.Apply(ref evt);
            Publish.Process(ref evt, in Context);
        }
    }

    private struct SignalCount : IAeronMessageHandler
    {
        public long Signals;
        public long Malformed;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            if (message.Length % Signal.Size != 0) Malformed++;
            else Signals += message.Length / Signal.Size;
        }
    }

    /// <summary>A channel option's options, or a usage error naming the option and the URI key.</summary>
    private static T Channel<T>(Func<T> make, string option)
    {
        try
        {
            return make();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"demo --aeron: {option}: {e.Message}");
        }
    }

    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        var resolved = ConfigOverrides.Load(args, simulatedDay: true);
        var config = resolved.Config;
        args.Has("aeron");
        long messages = args.Long("messages") ?? 1_000_000;
        string eventsChannel = args.String("events-channel") ?? EventsChannel;
        string signalsChannel = args.String("signals-channel") ?? SignalsChannel;
        args.RejectUnknown();
        if (messages < 1) throw new UsageException("demo --aeron: --messages must be at least 1.");
        var sim = config.Simulator;

        // Each box has its own memory ceiling, as two processes would.
        var registryA = new MemoryRegistry(config.Memory.CeilingBytes);
        var registryB = new MemoryRegistry(config.Memory.CeilingBytes);
        var small = new ArenaOptions { HugePages = false, Lock = false, Prefault = false };
        var eventsPub = Channel(() => AeronPublicationOptions.FromChannel(eventsChannel, EventsStream), "--events-channel");
        var eventsSub = Channel(() => AeronSubscriptionOptions.FromChannel(eventsChannel, EventsStream), "--events-channel") with { MaxImages = 1 };
        var signalsPub = Channel(() => AeronPublicationOptions.FromChannel(signalsChannel, SignalsStream), "--signals-channel");
        var signalsSub = Channel(() => AeronSubscriptionOptions.FromChannel(signalsChannel, SignalsStream), "--signals-channel") with { MaxImages = 1 };
        using var arenaA = Arena.Create("arena.aeron.a", small with { SizeBytes = AeronTermLog.ArenaBytes(eventsPub.TermLength) + AeronSubscription.ArenaBytes(signalsSub) + 8192 }, registryA);
        var plan = resolved.Patterns;
        int ringCapacity = config.Patterns.RingCapacity;
        using var arenaB = Arena.Create("arena.aeron.b", small with
        {
            SizeBytes = AeronSubscription.ArenaBytes(eventsSub) + AeronTermLog.ArenaBytes(signalsPub.TermLength) + SpmcBroadcast<MarketEvent>.RequiredBytes(ringCapacity) + 16384,
        }, registryB);

        // Box A: the feed, its books, the events publication and the signals subscription.
        var booksA = new OrderBookSet(config.Books.ToOptions("book.a"), null, registryA);
        var decoder = new ItchFeedDecoder(new ItchFeedOptions());
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(sim)), "AERONDEMO1", sim.MaxPayloadBytes, SimTimestampMode.Virtual, messages);
        using var publisherA = new AeronRecordPublisher(new AeronPublication(eventsPub, arenaA));
        using var signalsInA = new AeronSubscription(signalsSub, arenaA);

        // Box B: the events subscription, its books, the pattern engine inline, the signals publication.
        var booksB = new OrderBookSet(config.Books.ToOptions("book.b"), null, registryB);
        using var eventsInB = new AeronSubscription(eventsSub, arenaB);
        using var publisherB = new AeronRecordPublisher(new AeronPublication(signalsPub, arenaB), Signal.Size, recordsPerMessage: 1);
        var ring = RingFactory.CreateBroadcast<MarketEvent>(arenaB, "ring.aeron.b", ringCapacity, plan.Workers, registryB, out _);
        using var runtime = new PatternRuntime<AeronSignalSink, AllowAllGate>(plan, ring, _ => new AeronSignalSink(publisherB), default);
        var readerB = new AeronEventReader<BoxB>(new BoxB
        {
            Books = booksB, Publish = new TopOfBookPublishStage(booksB, ring, runtime.Routes, PublishOverflowPolicy.DropAndCount),
        });
        var signalsA = new SignalCount();

        output.WriteLine($"wirespeed demo --aeron: {messages:N0} ITCH messages of the {ConfigNames.Scenarios.Of(sim.Scenario)} scenario (seed {sim.Seed}), {plan.Options.Patterns.Count} pattern definitions; two boxes in one process, one thread alternating:");
        output.WriteLine($"  box A: feed -> events on {eventsChannel} stream {EventsStream}; signals from {signalsChannel} stream {SignalsStream}");
        output.WriteLine($"  box B: events from stream {EventsStream} -> books -> patterns -> signals on stream {SignalsStream}");

        void PumpB()
        {
            readerB.Handler.Context.NowNs = MonoClock.NowNs();
            eventsInB.Poll(ref readerB, 256);
            readerB.Handler.Publish.EndBatch(in readerB.Handler.Context);
            for (int w = 0; w < plan.Workers; w++) while (runtime.Agent(w).DoWork() > 0) { }
            publisherB.DoWork();
        }
        void Pump()
        {
            publisherA.DoWork();
            PumpB();
            signalsInA.Poll(ref signalsA, 256);
        }

        // Both publications connected (the subscriptions answered their SETUPs) before the feed starts: nothing is lost to a join.
        long deadline = MonoClock.NowNs() + 5_000_000_000;
        while (!(publisherA.Publication.IsConnected && publisherB.Publication.IsConnected) && MonoClock.NowNs() < deadline)
        {
            Pump();
            System.Threading.Thread.Sleep(1);
        }
        if (!publisherA.Publication.IsConnected || !publisherB.Publication.IsConnected)
        {
            error.WriteLine("wirespeed: demo --aeron: the Aeron publications found no subscriber on loopback multicast within 5 s (is multicast on lo allowed?)");
            return 1;
        }

        var events = new MarketEvent[4096];
        var info = new PacketInfo(0, 0, PacketSourceKind.InProcess);
        long eventsA = 0;
        long startNs = MonoClock.NowNs();
        bool stalled = false;
        while (!feed.Ended && !stalled)
        {
            ReadOnlySpan<byte> packet = feed.NextPacket();
            if (packet.IsEmpty) break;
            int n = decoder.Decode(packet, in info, events);
            for (int i = 0; i < n && !stalled; i++)
            {
                booksA.Apply(ref events[i]);
                // Back-pressure waits (box B catches up on this same thread): a demo loses nothing by design. A
                // publication refused for 10 s (box B's image gone: a stalled host) ends the run instead of hanging it.
                long waitSince = 0;
                while (publisherA.Pending == publisherA.RecordsPerMessage && !publisherA.Flush())
                {
                    long now = MonoClock.NowNs();
                    if (waitSince == 0) waitSince = now;
                    else if (now - waitSince > 10_000_000_000) { stalled = true; break; }
                    Pump();
                }
                if (stalled) break;
                publisherA.Publish(in events[i]);
                eventsA++;
            }
            Pump();
        }
        if (stalled)
            error.WriteLine($"wirespeed: demo --aeron: box A's publication was refused for 10 s after {eventsA:N0} events (connected: {publisherA.Publication.IsConnected}); stopping");
        deadline = MonoClock.NowNs() + 10_000_000_000;
        while ((readerB.Events < eventsA || signalsA.Signals < publisherB.Records + publisherB.Pending) && MonoClock.NowNs() < deadline) Pump();
        long runNs = MonoClock.NowNs() - startNs;

        ulong checksumA = booksA.Checksum();
        ulong checksumB = booksB.Checksum();
        var p = publisherA.Publication;
        var s = eventsInB;
        output.WriteLine();
        output.WriteLine($"box A: {feed.MessagesPacked:N0} ITCH messages -> {eventsA:N0} events, {publisherA.Messages:N0} Aeron messages ({publisherA.RecordsPerMessage} events each at most), " +
                         $"{p.DatagramsSent:N0} datagrams, {p.Retransmits:N0} retransmits, {publisherA.DroppedRecords:N0} dropped; {signalsA.Signals:N0} signals received from box B");
        output.WriteLine($"box B: {readerB.Events:N0} events received in {readerB.Messages:N0} messages ({readerB.Malformed:N0} malformed, {s.NaksSent:N0} NAKs, " +
                         $"{s.Rejects.Total - s.Rejects.Duplicate:N0} frames rejected); {publisherB.Records:N0} signals published, {publisherB.DroppedRecords:N0} dropped");
        output.WriteLine($"top-of-book checksum: box A {checksumA:x16}, box B {checksumB:x16}: {(checksumA == checksumB ? "equal" : "DIFFERENT")}; " +
                         $"{eventsA * 1e9 / Math.Max(1, runNs):N0} events/s end to end on one thread");
        bool ok = !stalled && checksumA == checksumB && readerB.Events == eventsA && signalsA.Signals == publisherB.Records && publisherA.DroppedRecords == 0 && publisherB.DroppedRecords == 0;
        if (!ok) error.WriteLine("wirespeed: demo --aeron: box B does not match box A (see the counts above)");
        return ok ? 0 : 1;
    }
}
