using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Tests.Feeds.Mold.Arbitration;

/// <summary>
/// A MoldUDP64 session for arbitration tests: message n (sequence n) is 8 bytes holding n big-endian (plus padding when
/// a length is asked), so a handler can check that each payload belongs to its sequence.
/// </summary>
internal static class MoldTape
{
    public static byte[] Message(ulong sequence, int length = 8)
    {
        var m = new byte[length];
        BinaryPrimitives.WriteUInt64BigEndian(m, sequence);
        return m;
    }

    /// <summary>Packets of <paramref name="perPacket"/> messages covering [first, first + messages).</summary>
    public static List<byte[]> Packets(string session, ulong first, int messages, int perPacket)
    {
        var writer = new MoldPacketWriter(session, first, maxMessagesPerPacket: perPacket);
        var packets = new List<byte[]>();
        for (ulong s = first; s < first + (ulong)messages; s++)
        {
            if (!writer.Fits(8)) packets.Add(writer.Flush().ToArray());
            writer.TryAppend(Message(s));
        }
        if (writer.PendingCount > 0) packets.Add(writer.Flush().ToArray());
        return packets;
    }

    public static byte[] Packet(string session, ulong first, int messages) => Packets(session, first, messages, messages)[0];

    public static byte[] Heartbeat(string session, ulong next) => new MoldPacketWriter(session, next).Heartbeat().ToArray();

    public static byte[] EndOfSession(string session, ulong next) => new MoldPacketWriter(session, next).EndOfSession().ToArray();
}

/// <summary>What a handler received, kept in a class so that the struct handler can be copied freely.</summary>
internal sealed class Received
{
    public readonly List<ulong> Sequences = new();
    public readonly List<MoldSource> Sources = new();
    public readonly List<bool> Late = new();
    public long BadPayloads;
    public int MessageLength = 8;
}

internal struct RecordingHandler : IMoldMessageHandler
{
    public Received Log;
    public RecordingHandler(Received log) => Log = log;

    public void OnMessage(ReadOnlySpan<byte> message, ulong sequence, MoldSource source, bool late)
    {
        if (message.Length < 8 || BinaryPrimitives.ReadUInt64BigEndian(message) != sequence) Log.BadPayloads++;
        Log.Sequences.Add(sequence);
        Log.Sources.Add(source);
        Log.Late.Add(late);
    }
}

/// <summary>Counts and sums without storing: for the allocation test and the benchmark.</summary>
internal struct CountingHandler : IMoldMessageHandler
{
    public long Messages;
    public ulong LastSequence;
    public void OnMessage(ReadOnlySpan<byte> message, ulong sequence, MoldSource source, bool late)
    {
        Messages++;
        LastSequence = sequence;
    }
}

internal sealed class RequestLog
{
    public readonly List<(ulong First, ulong Count)> Requests = new();
    public ulong Progress;
    public int SessionChanges;
    public bool Refuse;
}

/// <summary>Records the ranges the arbiter asks for; the test answers them.</summary>
internal struct LoggingRequester : IGapRequester
{
    public RequestLog Log;
    public LoggingRequester(RequestLog log) => Log = log;

    public bool TryRequest(ReadOnlySpan<byte> session, ulong firstSequence, ulong count, long nowNs)
    {
        if (Log.Refuse) return false;
        Log.Requests.Add((firstSequence, count));
        return true;
    }

    public void OnProgress(ulong nextExpected) => Log.Progress = nextExpected;
    public void OnSessionChanged(ReadOnlySpan<byte> session) => Log.SessionChanges++;
}
