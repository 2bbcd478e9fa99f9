using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Mold.Rerequest;

namespace Wirespeed.Feeds.Sim;

/// <summary>Options of the simulator's MoldUDP64 re-request server.</summary>
public sealed record MoldRetransmitOptions
{
    /// <summary>Where it listens. Default: 127.0.0.1, a port the kernel picks.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);
    /// <summary>Messages kept: older ones are beyond the store and their requests get nothing. Default: 1,000,000.</summary>
    public int StoreDepth { get; init; } = 1_000_000;
    /// <summary>Largest message kept, bytes (ITCH 5.0's largest is 50). Default: 64.</summary>
    public int MaxMessageBytes { get; init; } = 64;
    /// <summary>Largest response datagram, header included (1500 MTU − 20 IP − 8 UDP = 1472). Default: 1400.</summary>
    public int MaxPayload { get; init; } = MoldPacketWriter.DefaultMaxPayload;
    /// <summary>Fraction of response packets dropped on purpose, 0..1. Default: 0.</summary>
    public double ResponseLoss { get; init; }
    /// <summary>Delay before a request is answered, ns. Default: 0.</summary>
    public long LatencyNs { get; init; }
    /// <summary>Seed of the loss draws. Default: 1.</summary>
    public ulong Seed { get; init; } = 1;

    public MoldRetransmitOptions Validated()
    {
        if (StoreDepth < 1) throw new ArgumentException($"{nameof(StoreDepth)}={StoreDepth} must be >= 1, e.g. 1000000.", nameof(StoreDepth));
        if (MaxMessageBytes is < 1 or > 65535) throw new ArgumentException($"{nameof(MaxMessageBytes)}={MaxMessageBytes} must be 1..65535, e.g. 64.", nameof(MaxMessageBytes));
        if (MaxPayload < MoldPacketReader.HeaderSize + 2 + MaxMessageBytes || MaxPayload > 65507)
            throw new ArgumentException($"{nameof(MaxPayload)}={MaxPayload} must hold a header and one message of {MaxMessageBytes} bytes (>= {MoldPacketReader.HeaderSize + 2 + MaxMessageBytes}) and be <= 65507, e.g. 1400.", nameof(MaxPayload));
        if (!(ResponseLoss >= 0 && ResponseLoss <= 1)) throw new ArgumentException($"{nameof(ResponseLoss)}={ResponseLoss} must be 0..1, e.g. 0.01.", nameof(ResponseLoss));
        if (LatencyNs < 0) throw new ArgumentException($"{nameof(LatencyNs)}={LatencyNs} must be >= 0, e.g. 100000 (100 µs).", nameof(LatencyNs));
        return this;
    }
}

/// <summary>Counters of the re-request server (written by its thread; <see cref="Stored"/> by the sending one).</summary>
public sealed class MoldRetransmitCounters
{
    public long Requests;
    /// <summary>Requests that are not 20 bytes, ask for 0 or 0xFFFF messages, or run past 2^64.</summary>
    public long MalformedRequests;
    /// <summary>Requests for another session than the one stored: nothing is sent.</summary>
    public long WrongSession;
    /// <summary>Requests whose first sequence is older than the store or not sent yet: nothing is sent (as real servers).</summary>
    public long BeyondStore;
    /// <summary>Requests answered only in part because their end is not sent yet.</summary>
    public long Clipped;
    public long ResponsePackets;
    public long ResponseMessages;
    /// <summary>Response packets dropped on purpose (ResponseLoss).</summary>
    public long ResponsesLost;
    /// <summary>Messages recorded into the store.</summary>
    public long Stored;
    /// <summary>Messages not stored because longer than MaxMessageBytes (requests reaching them get what precedes them).</summary>
    public long TooLong;
}

/// <summary>
/// The exchange's MoldUDP64 re-request server, for the simulator: keeps the last StoreDepth messages it was given
/// (<see cref="Record"/>, from the thread that sends the live packets) and answers request packets (MoldUDP64 1.00,
/// "Request Packets") on UDP with downstream packets of the stored messages, unicast to the requester, each no larger
/// than MaxPayload; with configurable response loss and latency. A request whose first message is older than the store
/// (or not sent yet) gets nothing, as a real server; one that runs past the newest message gets what exists.
/// The store is guarded by a lock: this is the exchange's side, not Wirespeed's hot path.
/// </summary>
public sealed class MoldRetransmitServer : IDisposable
{
    private readonly MoldRetransmitOptions _options;
    private readonly Socket _socket;
    private readonly object _gate = new();
    private readonly byte[] _store;          // StoreDepth × MaxMessageBytes
    private readonly ushort[] _lengths;      // 0 = not stored
    private readonly byte[] _session = new byte[MoldPacketReader.SessionLength];
    private readonly byte[] _packet;
    private SimRandom _random; // mutable struct: never readonly (a readonly copy would draw the same number forever)
    private readonly Queue<(long DueTicks, ulong First, int Count, EndPoint To)> _delayed = new();
    private bool _hasSession;
    private ulong _oldest, _next;            // stored: [_oldest, _next)
    private Thread? _thread;
    private volatile bool _stop;

    public MoldRetransmitServer(MoldRetransmitOptions? options = null)
    {
        _options = (options ?? new MoldRetransmitOptions()).Validated();
        _store = new byte[(long)_options.StoreDepth * _options.MaxMessageBytes];
        _lengths = new ushort[_options.StoreDepth];
        _packet = new byte[_options.MaxPayload];
        _random = new SimRandom(_options.Seed);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(_options.Listen);
    }

    public MoldRetransmitCounters Counters { get; } = new();
    /// <summary>Where requests go.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Stores the messages of a downstream packet the exchange sent (heartbeats and end of session carry none).
    /// A new session empties the store.</summary>
    public void Record(ReadOnlySpan<byte> packet)
    {
        var reader = new MoldPacketReader(packet);
        if (reader.HeaderStatus != DecodeStatus.Ok || reader.MessageCount == 0) return;
        lock (_gate)
        {
            if (!_hasSession || !reader.Session.SequenceEqual(_session))
            {
                reader.Session.CopyTo(_session);
                _hasSession = true;
                _oldest = _next = reader.Sequence;
            }
            if (reader.Sequence != _next) _oldest = _next = reader.Sequence; // the exchange skipped: keep one contiguous run
            int depth = _options.StoreDepth;
            for (ulong s = reader.Sequence; reader.TryRead(out ReadOnlySpan<byte> message) == DecodeStatus.Ok; s++)
            {
                int at = (int)(s % (ulong)depth);
                if (message.Length > _options.MaxMessageBytes) { Counters.TooLong++; _lengths[at] = 0; }
                else
                {
                    message.CopyTo(_store.AsSpan(at * _options.MaxMessageBytes));
                    _lengths[at] = (ushort)message.Length;
                    Counters.Stored++;
                }
                _next = s + 1;
                if (_next - _oldest > (ulong)depth) _oldest = _next - (ulong)depth;
            }
        }
    }

    /// <summary>Starts answering (cold path).</summary>
    public void Start()
    {
        if (_thread is not null) return;
        _thread = new Thread(Run) { IsBackground = true, Name = "mold-retransmit" };
        _thread.Start();
    }

    private void Run()
    {
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!_stop)
            {
                SendDue();
                if (!_socket.Poll(200, SelectMode.SelectRead)) continue;
                int n = _socket.ReceiveFrom(buffer, ref from);
                Counters.Requests++;
                if (MoldRequestPacket.TryRead(buffer.AsSpan(0, n), out ReadOnlySpan<byte> session, out ulong first, out ushort count) != DecodeStatus.Ok)
                {
                    Counters.MalformedRequests++;
                    continue;
                }
                if (!_hasSession || !session.SequenceEqual(_session)) { Counters.WrongSession++; continue; }
                if (_options.LatencyNs > 0) _delayed.Enqueue((Stopwatch.GetTimestamp() + NsToTicks(_options.LatencyNs), first, count, from));
                else Answer(first, count, from);
            }
        }
        catch (Exception e) when ((e is SocketException or ObjectDisposedException) && _stop) { } // closed while stopping
    }

    private void SendDue()
    {
        while (_delayed.Count > 0 && _delayed.Peek().DueTicks <= Stopwatch.GetTimestamp())
        {
            var d = _delayed.Dequeue();
            Answer(d.First, d.Count, d.To);
        }
    }

    private static long NsToTicks(long ns) => (long)(ns * (Stopwatch.Frequency / 1e9));

    private void Answer(ulong first, int count, EndPoint to)
    {
        lock (_gate)
        {
            if (first < _oldest || first >= _next) { Counters.BeyondStore++; return; }
            ulong end = first + (ulong)count;
            if (end > _next) { Counters.Clipped++; end = _next; }
            _session.CopyTo(_packet.AsSpan());
            ulong s = first;
            while (s < end)
            {
                ulong packetFirst = s;
                int length = MoldPacketReader.HeaderSize;
                int messages = 0;
                while (s < end && messages < 0xFFFE)
                {
                    int at = (int)(s % (ulong)_options.StoreDepth);
                    int len = _lengths[at];
                    if (len == 0) { end = s; break; } // a message the store could not keep: answer up to it
                    if (length + 2 + len > _packet.Length) break;
                    BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(length), (ushort)len);
                    _store.AsSpan(at * _options.MaxMessageBytes, len).CopyTo(_packet.AsSpan(length + 2));
                    length += 2 + len;
                    messages++;
                    s++;
                }
                if (messages == 0) return;
                BinaryPrimitives.WriteUInt64BigEndian(_packet.AsSpan(MoldPacketReader.SequenceOffset), packetFirst);
                BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(MoldPacketReader.CountOffset), (ushort)messages);
                if (_options.ResponseLoss > 0 && _random.NextDouble() < _options.ResponseLoss) { Counters.ResponsesLost++; continue; }
                _socket.SendTo(_packet.AsSpan(0, length), SocketFlags.None, to);
                Counters.ResponsePackets++;
                Counters.ResponseMessages += messages;
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join();
        _socket.Dispose();
    }
}
