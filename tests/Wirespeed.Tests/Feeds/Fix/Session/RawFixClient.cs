using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using Wirespeed.Feeds.Fix;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>A hand-driven FIX counterparty over a plain socket: sends exactly the bytes a test gives it and reads
/// back whole messages, so a test can misbehave in ways a real engine never would.</summary>
internal sealed class RawFixClient : IDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[65536];
    private int _count;

    public RawFixClient(int port)
    {
        _tcp.Connect("127.0.0.1", port);
        _stream = _tcp.GetStream();
    }

    public void Send(byte[] message) => _stream.Write(message);

    /// <summary>The next message as '|' text, or null when the connection closed or <paramref name="timeoutMs"/> passed.</summary>
    public string? Read(int timeoutMs = 5000)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (FixFramer.TryFrame(_buffer.AsSpan(0, _count), out var frame) == FixStatus.Ok)
            {
                string text = FixTestMessages.Text(_buffer.AsSpan(frame.Start, frame.Length));
                int used = frame.Start + frame.Length;
                _buffer.AsSpan(used, _count - used).CopyTo(_buffer);
                _count -= used;
                return text;
            }
            long left = timeoutMs - sw.ElapsedMilliseconds;
            if (left <= 0) return null;
            _tcp.ReceiveTimeout = (int)Math.Max(1, left);
            int n;
            try { n = _stream.Read(_buffer, _count, _buffer.Length - _count); }
            catch (System.IO.IOException) { return null; }
            if (n == 0) return null;
            _count += n;
        }
    }

    /// <summary>Reads until a message of <paramref name="msgType"/> arrives; null if none in time.</summary>
    public string? ReadUntil(string msgType, int timeoutMs = 5000)
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            string? m = Read((int)Math.Max(1, timeoutMs - sw.ElapsedMilliseconds));
            if (m is null) return null;
            if (SessionMessages.Field(m, 35) == msgType) return m;
        }
        return null;
    }

    /// <summary>True when the other side closed the connection within <paramref name="timeoutMs"/> (messages before the close are skipped).</summary>
    public bool ClosedWithin(int timeoutMs)
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            _tcp.ReceiveTimeout = (int)Math.Max(1, timeoutMs - sw.ElapsedMilliseconds);
            try
            {
                int n = _stream.Read(_buffer, 0, _buffer.Length);
                if (n == 0) return true;
            }
            catch (System.IO.IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
            {
                return false;
            }
            catch (System.IO.IOException) { return true; }
        }
        return false;
    }

    public void Dispose() => _tcp.Dispose();
}

internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="timeoutMs"/>; returns its last value.</summary>
    public static bool Until(Func<bool> condition, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) return false;
            Thread.Sleep(10);
        }
        return true;
    }
}
