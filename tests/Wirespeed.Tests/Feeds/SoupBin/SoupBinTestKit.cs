using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.SoupBin;
using Xunit;

namespace Wirespeed.Tests.Feeds.SoupBin;

/// <summary>Collects what a client hands over (any thread may read the copies).</summary>
internal sealed class CollectingHandler : ISoupBinDataHandler
{
    private readonly object _gate = new();
    public readonly List<(ulong Sequence, byte[] Message)> Sequenced = new();
    public readonly List<byte[]> Unsequenced = new();
    public long EndOfSessionAt = -1;

    public bool OnSequenced(ulong sequence, ReadOnlySpan<byte> message)
    {
        lock (_gate) Sequenced.Add((sequence, message.ToArray()));
        return true;
    }

    public bool OnUnsequenced(ReadOnlySpan<byte> message)
    {
        lock (_gate) Unsequenced.Add(message.ToArray());
        return true;
    }

    public void OnEndOfSession(ulong nextSequence) => Interlocked.Exchange(ref EndOfSessionAt, (long)nextSequence);

    public int Count
    {
        get { lock (_gate) return Sequenced.Count; }
    }

    public List<(ulong Sequence, byte[] Message)> Snapshot()
    {
        lock (_gate) return new(Sequenced);
    }
}

internal static class SoupBinTestKit
{
    /// <summary>Waits (bounded: 10 s) until <paramref name="condition"/> holds; fails with <paramref name="what"/> otherwise.</summary>
    public static void WaitFor(Func<bool> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for " + what);
            Thread.Sleep(5);
        }
    }

    public static SoupBinClientState Final(SoupBinClient client, int seconds = 10)
    {
        Assert.True(client.Completion.Wait(TimeSpan.FromSeconds(seconds)), $"the client did not finish (state {client.State})");
        return client.Completion.Result;
    }

    /// <summary>A store of <paramref name="n"/> distinct messages ("m1", "m2", …).</summary>
    public static SimMessageStore Store(int n, bool ended)
    {
        var s = new SimMessageStore();
        for (int i = 1; i <= n; i++) s.Append(Encoding.ASCII.GetBytes("m" + i));
        if (ended) s.End();
        return s;
    }

    public static string Text(byte[] b) => Encoding.ASCII.GetString(b);

    public static byte[] Packet(byte type, ReadOnlySpan<byte> payload)
    {
        var b = new byte[3 + payload.Length];
        SoupBinWriter.Packet(b, type, payload);
        return b;
    }

    public static byte[] Accepted(string session, ulong next)
    {
        var b = new byte[33];
        SoupBinWriter.LoginAccepted(b, session, next);
        return b;
    }
}

/// <summary>
/// A raw TCP peer on loopback that plays a script per accepted connection: the hostile or scripted server side of the
/// conformance tests (garbage, a cut packet, silence). Connections are numbered from 0.
/// </summary>
internal sealed class ScriptedSoupBinPeer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Socket> _sockets = new();
    public int Accepted;

    public ScriptedSoupBinPeer(int port, Func<Socket, int, CancellationToken, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket s;
                try
                {
                    s = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }
                lock (_sockets) _sockets.Add(s);
                int index = Interlocked.Increment(ref Accepted) - 1;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await script(s, index, _stop.Token);
                    }
                    catch (Exception)
                    {
                        // the client closed first: part of the script
                    }
                });
            }
        });
    }

    /// <summary>Reads one SoupBinTCP packet (type and payload), or null when the connection closed.</summary>
    public static async Task<(byte Type, byte[] Payload)?> ReadPacket(Socket s, CancellationToken ct)
    {
        var head = new byte[2];
        if (!await ReadExactly(s, head, ct)) return null;
        int length = head[0] << 8 | head[1];
        var body = new byte[length];
        if (!await ReadExactly(s, body, ct)) return null;
        return (body[0], body.AsSpan(1).ToArray());
    }

    private static async Task<bool> ReadExactly(Socket s, byte[] buffer, CancellationToken ct)
    {
        int at = 0;
        while (at < buffer.Length)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(at), SocketFlags.None, ct);
            if (n == 0) return false;
            at += n;
        }
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets) foreach (var s in _sockets) s.Dispose();
        _accepting.Wait(TimeSpan.FromSeconds(2));
    }
}
