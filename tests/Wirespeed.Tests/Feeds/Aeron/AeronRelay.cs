using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>
/// A UDP relay between a publication (which sends to the relay's port) and a subscription: it forwards both ways, can
/// drop every Nth data datagram the first time it passes (retransmits after a NAK pass: loss made in the test, since
/// loopback does not lose), and keeps a copy of every datagram it forwarded, per direction, for the pcap test.
/// Pumped by the test thread.
/// </summary>
internal sealed class AeronRelay : IDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[65536];
    private EndPoint _publisher = new IPEndPoint(IPAddress.Any, 0);
    private readonly HashSet<long> _dropped = new();
    private readonly int _dropEvery;
    private readonly bool _record;
    private long _data;

    public AeronRelay(int port, IPEndPoint subscriber, int dropEvery = 0, bool record = false)
    {
        _dropEvery = dropEvery;
        _record = record;
        _front.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Connect(subscriber);
        _front.Blocking = _back.Blocking = false;
        _front.ReceiveBufferSize = _back.ReceiveBufferSize = 4 * 1024 * 1024;
    }

    public long Dropped { get; private set; }
    public List<byte[]> ToSubscriber { get; } = new();
    public List<byte[]> ToPublisher { get; } = new();

    public void Pump()
    {
        while (_front.Available > 0)
        {
            int n = _front.ReceiveFrom(_buffer, ref _publisher);
            bool data = n >= 32 && _buffer[6] == 1 && BinaryPrimitives.ReadInt32LittleEndian(_buffer) > 0;
            if (data && _dropEvery > 0 && ++_data % _dropEvery == 0)
            {
                long key = ((long)BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(20)) << 32) | (uint)BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(8));
                if (_dropped.Add(key)) { Dropped++; continue; }
            }
            if (_record) ToSubscriber.Add(_buffer.AsSpan(0, n).ToArray());
            _back.Send(_buffer, n, SocketFlags.None);
        }
        while (_back.Available > 0)
        {
            int n = _back.Receive(_buffer);
            if (_record) ToPublisher.Add(_buffer.AsSpan(0, n).ToArray());
            _front.SendTo(_buffer, n, SocketFlags.None, _publisher);
        }
    }

    public void Dispose()
    {
        _front.Dispose();
        _back.Dispose();
    }
}
