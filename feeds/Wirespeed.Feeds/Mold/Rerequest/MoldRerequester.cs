using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Mold.Rerequest;

/// <summary>
/// The MoldUDP64 re-request client of one line: takes the ranges the arbiter could not fill, sends request packets
/// (MoldUDP64 1.00, "Request Packets") to the line's re-request server from its own cold thread, and hands the
/// responses (downstream packets unicast back to this socket) to the receiving thread, which merges them into the same
/// arbiter.
/// </summary>
/// <remarks>
/// Threads: the receiving worker produces ranges into one SPSC ring (<see cref="Gaps"/>, never blocks) and consumes
/// responses from another (<see cref="PollResponses{THandler}"/>); the requester thread owns the socket, the rate limit and the
/// table of requests in flight. A range is split into requests of at most MaxMessagesPerRequest. A request is done when
/// the arbiter's progress (published with <see cref="IGapRequester.OnProgress"/>) passes its end, whichever copy filled
/// it; on timeout it is sent again for what is still missing (a response that filled part of it shortens the retry),
/// each time waiting Backoff times longer, up to MaxRetries, then given up and counted. A session change voids every
/// request in flight. Full rings are counted, never waited on: the arbiter offers a refused range again, and a dropped
/// response is requested again on timeout.
/// </remarks>
public sealed unsafe class MoldRerequester : IDisposable
{
    private const int RangeSlotBytes = 64;          // session (10) + first (8) + count (8) + queued-at (8), one cache line
    private const int ResponseHeaderBytes = 16;     // length (4) + pad (4) + receive time (8)

    private readonly MoldRerequesterOptions _options;
    private readonly Socket _socket;
    private readonly void* _rangeMemory;
    private readonly void* _responseMemory;
    private readonly SpscSlotRing _ranges;
    private readonly SpscSlotRing _responses;
    private readonly Request[] _inFlight;
    private readonly byte[] _session = new byte[MoldRequestPacket.SessionLength]; // requester thread's copy
    private readonly byte[] _receive = new byte[65536];
    private readonly byte[] _send = new byte[MoldRequestPacket.Length];
    private Thread? _thread;
    private volatile bool _stop;
    private long _progress;        // arbiter's next expected sequence; written by the receiving thread
    private int _epoch;            // bumped by the receiving thread on a session change
    private int _inFlightCount;
    private double _tokens;
    private long _tokensAtNs;
    private bool _carry;           // a queued range not yet wholly split into requests
    private ulong _carryFirst, _carryEnd;
    private long _carryQueuedNs;
    private int _carryEpoch;
    private Exception? _fault;
    private int _disposed;

    private struct Request
    {
        public ulong First, End;
        public long QueuedNs, DeadlineNs;
        public int Attempts, Epoch;
    }

    public MoldRerequester(MoldRerequesterOptions options)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _inFlight = new Request[_options.MaxOutstanding];
        int responseSlotBytes = (ResponseHeaderBytes + _options.MaxPacketBytes + 63) / 64 * 64;
        _rangeMemory = NativeMemory.AlignedAlloc((nuint)SpscSlotRing.RequiredBytes(_options.RequestQueue, RangeSlotBytes), 64);
        _responseMemory = NativeMemory.AlignedAlloc((nuint)SpscSlotRing.RequiredBytes(_options.ResponseSlots, responseSlotBytes), 64);
        _ranges = new SpscSlotRing(_rangeMemory, _options.RequestQueue, RangeSlotBytes);
        _responses = new SpscSlotRing(_responseMemory, _options.ResponseSlots, responseSlotBytes);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(_options.LocalAddress, 0));
        _socket.Connect(_options.Server!); // only the server's datagrams reach this socket
        _tokens = _options.RequestBurst;
    }

    public MoldRerequestCounters Counters { get; } = new();
    public MoldRerequesterOptions Options => _options;
    /// <summary>Where responses arrive (the server answers the request's source address).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;
    /// <summary>Requests in flight (requester thread's figure).</summary>
    public int InFlight => Volatile.Read(ref _inFlightCount);
    /// <summary>The first fault of the requester thread, if it stopped on one.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>The arbiter's requester: a struct over this client, for <c>MoldArbiter&lt;THandler, MoldRerequester.GapSink&gt;</c>.</summary>
    public GapSink Gaps => new(this);

    /// <summary>Starts the requester thread (cold path).</summary>
    public void Start()
    {
        if (_thread is not null) return;
        _thread = new Thread(Run) { IsBackground = true, Name = "mold-rerequest" };
        _thread.Start();
    }

    /// <summary>
    /// Receiving thread: merges up to <paramref name="limit"/> queued responses into <paramref name="arbiter"/> as
    /// <see cref="MoldSource.Retransmission"/> packets. Returns how many.
    /// </summary>
    public int PollResponses<THandler>(MoldArbiter<THandler, GapSink> arbiter, int limit) where THandler : struct, IMoldMessageHandler
        => PollResponses<THandler, GapSink>(arbiter, limit);

    /// <summary>As <see cref="PollResponses{THandler}"/> for an arbiter whose requester forwards to <see cref="Gaps"/> (e.g. a line that may have no server).</summary>
    public int PollResponses<THandler, TRequester>(MoldArbiter<THandler, TRequester> arbiter, int limit)
        where THandler : struct, IMoldMessageHandler
        where TRequester : struct, IGapRequester
    {
        var feed = new ResponseFeed<THandler, TRequester>(arbiter);
        return _responses.Poll(ref feed, limit);
    }

    private struct ResponseFeed<THandler, TRequester> : ISlotHandler
        where THandler : struct, IMoldMessageHandler
        where TRequester : struct, IGapRequester
    {
        private readonly MoldArbiter<THandler, TRequester> _arbiter;
        public ResponseFeed(MoldArbiter<THandler, TRequester> arbiter) => _arbiter = arbiter;

        public void OnSlot(Span<byte> slot)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(slot);
            long rxNs = BinaryPrimitives.ReadInt64LittleEndian(slot.Slice(8));
            _arbiter.OnPacket(slot.Slice(ResponseHeaderBytes, length), MoldSource.Retransmission, rxNs);
        }
    }

    /// <summary>The arbiter's side of the client: enqueue only, never blocks (receiving thread).</summary>
    public readonly struct GapSink : IGapRequester
    {
        private readonly MoldRerequester _owner;
        internal GapSink(MoldRerequester owner) => _owner = owner;

        public bool TryRequest(ReadOnlySpan<byte> session, ulong firstSequence, ulong count, long nowNs)
        {
            SpscSlotRing ring = _owner._ranges;
            if (!ring.TryClaim(out long slotSequence))
            {
                _owner.Counters.RangesRefused++;
                return false;
            }
            Span<byte> slot = ring.Slot(slotSequence);
            session.CopyTo(slot);
            BinaryPrimitives.WriteUInt64LittleEndian(slot.Slice(16), firstSequence);
            BinaryPrimitives.WriteUInt64LittleEndian(slot.Slice(24), count);
            BinaryPrimitives.WriteInt64LittleEndian(slot.Slice(32), nowNs);
            BinaryPrimitives.WriteInt32LittleEndian(slot.Slice(40), Volatile.Read(ref _owner._epoch));
            ring.Publish();
            _owner.Counters.RangesQueued++;
            return true;
        }

        public void OnProgress(ulong nextExpected) => Volatile.Write(ref _owner._progress, (long)nextExpected); // release; pairs with the read in IsFilled

        public void OnSessionChanged(ReadOnlySpan<byte> session) => Interlocked.Increment(ref _owner._epoch); // voids requests of the old session
    }

    private void Run()
    {
        try
        {
            var take = new RangeTaker(this);
            while (!_stop)
            {
                long now = MonoClock.NowNs();
                TakeRanges(ref take);
                Service(now);
                Receive();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            if (!_stop) Volatile.Write(ref _fault, e);
        }
    }

    private struct RangeTaker : ISlotHandler
    {
        private readonly MoldRerequester _owner;
        public RangeTaker(MoldRerequester owner) => _owner = owner;

        public void OnSlot(Span<byte> slot)
        {
            slot.Slice(0, MoldRequestPacket.SessionLength).CopyTo(_owner._session);
            _owner._carryFirst = BinaryPrimitives.ReadUInt64LittleEndian(slot.Slice(16));
            _owner._carryEnd = _owner._carryFirst + BinaryPrimitives.ReadUInt64LittleEndian(slot.Slice(24));
            _owner._carryQueuedNs = BinaryPrimitives.ReadInt64LittleEndian(slot.Slice(32));
            _owner._carryEpoch = BinaryPrimitives.ReadInt32LittleEndian(slot.Slice(40));
            _owner._carry = true;
        }
    }

    // Splits queued ranges into requests while the table has room; a range stays queued until it fits.
    private void TakeRanges(ref RangeTaker take)
    {
        while (true)
        {
            if (!_carry && _ranges.Poll(ref take, 1) == 0) return;
            while (_carry && _inFlightCount < _inFlight.Length)
            {
                ulong end = Math.Min(_carryEnd, _carryFirst + (ulong)_options.MaxMessagesPerRequest);
                _inFlight[_inFlightCount++] = new Request { First = _carryFirst, End = end, QueuedNs = _carryQueuedNs, Epoch = _carryEpoch };
                _carryFirst = end;
                if (_carryFirst >= _carryEnd) _carry = false;
            }
            if (_carry) return;
        }
    }

    private void Service(long now)
    {
        ulong progress = (ulong)Volatile.Read(ref _progress); // acquire: pairs with the write in OnProgress
        int epoch = Volatile.Read(ref _epoch);
        bool gaveUp = false;
        for (int i = 0; i < _inFlightCount; i++)
        {
            ref Request r = ref _inFlight[i];
            bool done = false;
            if (r.Epoch != epoch) { Counters.StaleSession++; done = true; }
            else if (progress >= r.End)
            {
                Counters.Completed++;
                long took = now - r.QueuedNs;
                Counters.RecoveryNsTotal += took;
                if (took > Counters.RecoveryNsMax) Counters.RecoveryNsMax = took;
                Counters.Recovery.RecordValue(Math.Clamp(took, 1, MoldRerequestCounters.RecoveryHighestNs));
                done = true;
            }
            else if (r.Attempts == 0 || now >= r.DeadlineNs)
            {
                // A request beyond the line's first missing message may have been answered already: its messages wait in
                // the reorder window, which progress cannot see. Only the request at the head times out; the others wait
                // until progress reaches them (without this, every request behind one slow gap is sent again and again).
                if (r.Attempts > 0 && r.First > progress) { r.DeadlineNs = now + _options.TimeoutNs; Counters.RetriesDeferred++; }
                else if (r.Attempts > _options.MaxRetries) { Counters.GaveUp++; done = true; gaveUp = true; }
                else if (TakeToken(now))
                {
                    ulong first = Math.Max(r.First, progress); // what a response or live copy already filled is not asked again
                    MoldRequestPacket.Write(_send, _session, first, (ushort)(r.End - first));
                    if (_socket.Send(_send, SocketFlags.None, out SocketError error) != MoldRequestPacket.Length || error != SocketError.Success)
                        Counters.SendErrors++;
                    Counters.RequestsSent++;
                    if (r.Attempts > 0) Counters.Retries++;
                    r.DeadlineNs = now + (long)(_options.TimeoutNs * Math.Pow(_options.Backoff, r.Attempts));
                    r.Attempts++;
                }
            }
            if (done)
            {
                _inFlight[i--] = _inFlight[--_inFlightCount];
            }
        }
        if (gaveUp)
        {
            // The requests behind a given-up head wait for progress that cannot come, and they fill the table that the
            // head's next request needs: drop them all (and the range being split). The line asks for every missing
            // range again, head first (MoldArbiter.RequestAgain); without this a line whose server came back stayed stuck.
            Counters.DroppedBehindGiveUp += _inFlightCount;
            _inFlightCount = 0;
            _carry = false;
        }
        Volatile.Write(ref _inFlightCount, _inFlightCount);
    }

    private bool TakeToken(long now)
    {
        _tokens = Math.Min(_options.RequestBurst, _tokens + (now - _tokensAtNs) * (_options.MaxRequestsPerSecond / 1e9));
        _tokensAtNs = now;
        if (_tokens < 1) { Counters.RateLimited++; return false; }
        _tokens -= 1;
        return true;
    }

    private void Receive()
    {
        // Wait at most 200 µs for a response: the loop also has requests to time out and ranges to take.
        if (!_socket.Poll(200, SelectMode.SelectRead)) return;
        while (_socket.Available > 0)
        {
            int n = _socket.Receive(_receive, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success) return; // e.g. ICMP port unreachable while the server is down
            Counters.Responses++;
            if (n < MoldPacketReader.HeaderSize || n > _options.MaxPacketBytes) { Counters.ResponsesMalformed++; continue; }
            if (!_responses.TryClaim(out long seq)) { Counters.ResponsesDropped++; continue; }
            Span<byte> slot = _responses.Slot(seq);
            BinaryPrimitives.WriteInt32LittleEndian(slot, n);
            BinaryPrimitives.WriteInt64LittleEndian(slot.Slice(8), MonoClock.NowNs());
            _receive.AsSpan(0, n).CopyTo(slot.Slice(ResponseHeaderBytes));
            _responses.Publish();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop = true;
        _thread?.Join();
        _socket.Dispose();
        NativeMemory.AlignedFree(_rangeMemory);
        NativeMemory.AlignedFree(_responseMemory);
    }
}
