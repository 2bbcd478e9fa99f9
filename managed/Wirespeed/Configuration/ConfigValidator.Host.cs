using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop;

namespace Wirespeed.Configuration;

// The checks that ask this host rather than the file: is the interface address one of ours, does an explicit transport
// work here, do the output files' directories exist, does the whole fit under memory.ceilingBytes. They are part of the one validation, so check-config
// on the target host says what run's start-up would, before anything is reserved or opened.
public static partial class ConfigValidator
{
    private static void HostChecks(WirespeedConfig c)
    {
        var local = LocalAddresses();
        for (int i = 0; i < c.Lines.Count; i++)
        {
            var address = IPAddress.Parse(c.Lines[i].Interface);   // an IPv4 address: checked above (UdpOptions)
            Require(address.Equals(IPAddress.Any) || local.Contains(address), $"lines[{i}].interface",
                $"'{address}' is not an address of this host (its IPv4 addresses: {string.Join(", ", local)}); use one of them, e.g. 127.0.0.1 for loopback.");
        }
        // An explicit transport must work here (auto falls back and says why at start-up). AF_XDP serves one line.
        var first = c.Lines[0];
        if (first.Transport is TransportKind.Xdp or TransportKind.Uring)
        {
            var choice = TransportProbe.Choose(first.Transport, first.Device.Length == 0 ? null : first.Device);
            Require(choice.Usable, "lines[0].transport", $"'{TransportNames.Of(first.Transport)}' cannot run here: {choice.Reason}. Use transport 'auto' to fall back, or fix the cause.");
        }
        OutputFile(c.Monitor.Hlog, "monitor.hlog");
        OutputFile(c.Patterns.Sinks.Journal, "patterns.sinks.journal");

        var parts = MemoryFootprint.Of(c);
        long total = MemoryFootprint.Total(parts);
        long ceiling = c.Memory.CeilingBytes;
        if (total > ceiling)
        {
            var (part, key, bytes) = parts[0];
            throw new ConfigException("memory.ceilingBytes",
                $"{ceiling} is below the {total} bytes ({Mib(total)}) this configuration reserves at start-up; the largest part is {part}: {bytes} bytes ({Mib(bytes)}), sized by {key}. " +
                $"Lower {key}, or raise memory.ceilingBytes to at least {total}.");
        }
    }

    private static string Mib(long bytes) => $"{bytes / (1 << 20):N0} MiB";

    /// <summary>The host's IPv4 addresses, loopback included.</summary>
    private static List<IPAddress> LocalAddresses()
    {
        var list = new List<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
                if (a.Address.AddressFamily == AddressFamily.InterNetwork && !list.Contains(a.Address)) list.Add(a.Address);
        return list;
    }

    /// <summary>
    /// An output file named in the configuration: its directory exists and may be written, its name is one the file
    /// system takes, and it is not a directory or a FIFO. Nothing is created: check-config leaves no trace.
    /// </summary>
    private static void OutputFile(string? path, string field)
    {
        const int NoSuchFile = 2;
        NotNull(path, field);
        if (path!.Length == 0) return;
        Require(path.IndexOf('\0') < 0, field, "contains a NUL character; name a file.");
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? "/";
        var kind = PathProbe.Of(dir, out _, out int errno);
        Require(kind != PathKind.Unknown || errno != NoSuchFile, field, $"'{path}': its directory '{dir}' does not exist; create it, or name a file in an existing directory.");
        Require(kind != PathKind.Unknown, field, $"'{path}': its directory '{dir}' cannot be used ({PathProbe.Describe(errno)}); create it, or name a file in an existing directory.");
        Require(kind == PathKind.Directory, field, $"'{path}': '{dir}' is not a directory.");
        Require(PathProbe.CanWrite(dir, out errno), field, $"'{path}': its directory '{dir}' cannot be written ({PathProbe.Describe(errno)}); name a file in a writable directory.");
        var self = PathProbe.Of(full, out _, out errno);
        Require(self != PathKind.Unknown || errno == NoSuchFile, field, $"'{path}' cannot be used ({PathProbe.Describe(errno)}); name another file.");
        // A directory cannot be written; opening a FIFO for writing blocks until a reader comes. A device (/dev/null) may be meant.
        Require(self is not (PathKind.Directory or PathKind.Fifo or PathKind.Socket), field, $"'{path}' exists and is not a regular file; name a file to write.");
    }
}
