using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Hosting.Metrics;

/// <summary>
/// Serves <c>GET /metrics</c> (Prometheus text format 0.0.4) on a plain TCP socket from a cold background thread, one
/// connection at a time (a scraper's load). The text is built on the monitor thread (<see cref="OnInterval"/>), never
/// on a hot thread, and only when a scrape asked for it: a scrape marks the text wanted and waits up to one monitor
/// interval (at most 5 s) for the next interval to build it, else it gets the last one; so the monitor allocates only
/// per scrape, not per interval. A scraper that misbehaves (slow, malformed request) costs this thread a timeout, never
/// market data. Plain sockets rather than HttpListener or a package: the exposition is a few lines of text, and this
/// stays clean under NativeAOT.
/// </summary>
public sealed class MetricsEndpoint : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RunMonitor, string> _build;
    private readonly int _waitMs;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private string? _text;
    private volatile bool _wanted = true;   // the first interval builds one, so an early scrape is answered at once
    private volatile bool _stopping;
    private long _scrapes;

    private MetricsEndpoint(TcpListener listener, Func<RunMonitor, string> build, int intervalMs)
    {
        _listener = listener;
        _build = build;
        _waitMs = Math.Min(Math.Max(intervalMs, 10) + 200, 5000);
        Address = (IPEndPoint)listener.LocalEndpoint;
        _thread = new Thread(Serve) { IsBackground = true, Name = "ws-metrics" };
    }

    /// <summary>The address bound (the port chosen by the system when 0 was asked).</summary>
    public IPEndPoint Address { get; }

    /// <summary>Scrapes answered with 200.</summary>
    public long Scrapes => Interlocked.Read(ref _scrapes);

    /// <summary>
    /// Binds <paramref name="address"/> and starts serving. Throws <see cref="SocketException"/> when the address cannot be
    /// bound (in use, not local): the caller names the configuration field.
    /// </summary>
    public static MetricsEndpoint Start(IPEndPoint address, Func<RunMonitor, string> build, int intervalMs)
    {
        var listener = new TcpListener(address);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(16);
        var endpoint = new MetricsEndpoint(listener, build, intervalMs);
        endpoint._thread.Start();
        return endpoint;
    }

    /// <summary>Monitor thread, after each interval: builds the text when a scrape asked for it. Never throws.</summary>
    public void OnInterval(RunMonitor monitor)
    {
        if (!_wanted) return;
        string text;
        try { text = _build(monitor); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            text = "# wirespeed: building the metrics failed: " + e.GetType().Name + "\n";
        }
        lock (_gate)
        {
            _text = text;
            _wanted = false;
            Monitor.PulseAll(_gate);
        }
    }

    private string? Fresh()
    {
        lock (_gate)
        {
            string? previous = _text;
            _wanted = true;
            // Wait for the next interval's text; a stopped monitor (end of run) never builds again: serve the last one.
            Monitor.Wait(_gate, previous is null ? _waitMs * 2 : _waitMs);
            return _text;
        }
    }

    private void Serve()
    {
        while (!_stopping)
        {
            Socket client;
            try { client = _listener.AcceptSocket(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            try
            {
                using (client) Answer(client);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or System.IO.IOException)
            {
                // The scraper went away or was too slow: its problem, the next scrape is served as usual.
            }
        }
    }

    private void Answer(Socket client)
    {
        client.ReceiveTimeout = 2000;
        client.SendTimeout = 2000;
        string? requestLine = ReadRequestLine(client);
        if (requestLine is null) return;
        string[] parts = requestLine.Split(' ');
        if (parts.Length < 3 || !parts[2].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            Send(client, "400 Bad Request", "text/plain; charset=utf-8", "bad request\n");
            return;
        }
        string path = parts[1];
        int query = path.IndexOf('?');
        if (query >= 0) path = path.Substring(0, query);
        if (path != "/metrics")
        {
            Send(client, "404 Not Found", "text/plain; charset=utf-8", "wirespeed serves /metrics only\n");
            return;
        }
        if (parts[0] is not ("GET" or "HEAD"))
        {
            Send(client, "405 Method Not Allowed", "text/plain; charset=utf-8", "use GET\n");
            return;
        }
        string? text = Fresh();
        if (text is null)
        {
            Send(client, "503 Service Unavailable", "text/plain; charset=utf-8", "no figures yet: the monitor has not completed an interval\n");
            return;
        }
        Send(client, "200 OK", PrometheusText.ContentType, parts[0] == "HEAD" ? "" : text, contentLength: Encoding.UTF8.GetByteCount(text));
        Interlocked.Increment(ref _scrapes);
    }

    /// <summary>Reads the request head (to the blank line, at most 8 KiB) and returns its first line, or null.</summary>
    private static string? ReadRequestLine(Socket client)
    {
        var buffer = new byte[8192];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (n == 0) break;
            length += n;
            if (Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
        }
        string head = Encoding.ASCII.GetString(buffer, 0, length);
        int end = head.IndexOf("\r\n", StringComparison.Ordinal);
        return end > 0 ? head.Substring(0, end) : null;
    }

    private static void Send(Socket client, string status, string contentType, string body, int contentLength = -1)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        if (contentLength < 0) contentLength = content.Length;
        string head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {contentLength}\r\nConnection: close\r\n\r\n";
        client.Send(Encoding.ASCII.GetBytes(head));
        if (content.Length > 0) client.Send(content);
        client.Shutdown(SocketShutdown.Send);
    }

    public void Dispose()
    {
        _stopping = true;
        _listener.Stop();   // AcceptSocket throws: the thread ends
        lock (_gate) Monitor.PulseAll(_gate);
        _thread.Join(TimeSpan.FromSeconds(3));
    }
}
