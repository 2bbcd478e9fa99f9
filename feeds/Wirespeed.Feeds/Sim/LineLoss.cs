using System;
using System.Buffers.Binary;
using System.Globalization;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Sim;

/// <summary>How the simulator loses the packets of one copy of a line on purpose.</summary>
public enum LossKind : byte
{
    /// <summary>Nothing lost.</summary>
    None = 0,
    /// <summary>Each packet lost with probability <see cref="LossModel.Rate"/>, independently.</summary>
    Random = 1,
    /// <summary>Every packet carrying a message of [BurstStart, BurstStart + BurstMessages) lost (a switch buffer overflowing).</summary>
    Burst = 2,
    /// <summary>Every packet lost (the line is down).</summary>
    Dead = 3,
}

/// <summary>
/// A loss model, written "1%" (random), "burst:10000" or "burst:10000@500000" (N messages from sequence S; S defaults
/// to <see cref="DefaultBurstStart"/>), "dead" or "none".
/// </summary>
public sealed record LossModel(LossKind Kind, double Rate = 0, long BurstMessages = 0, long BurstStart = LossModel.DefaultBurstStart)
{
    /// <summary>Where a burst starts when its text names no start: message 100,000 (in the demo's first second).</summary>
    public const long DefaultBurstStart = 100_000;

    public static readonly LossModel None = new(LossKind.None);

    /// <summary>Parses one model; throws <see cref="FormatException"/> naming what is allowed.</summary>
    public static LossModel Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase)) return None;
        if (t.Equals("dead", StringComparison.OrdinalIgnoreCase)) return new LossModel(LossKind.Dead);
        if (t.EndsWith('%'))
        {
            if (double.TryParse(t.AsSpan(0, t.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double pct) && pct is >= 0 and <= 100)
                return pct == 0 ? None : new LossModel(LossKind.Random, pct / 100);
            throw new FormatException($"'{text}': a random loss is a percentage 0..100, e.g. 1%");
        }
        if (t.StartsWith("burst:", StringComparison.OrdinalIgnoreCase))
        {
            string rest = t["burst:".Length..];
            int at = rest.IndexOf('@');
            string n = at < 0 ? rest : rest[..at];
            long start = DefaultBurstStart;
            if (!long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count < 1
                || (at >= 0 && (!long.TryParse(rest[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out start) || start < 1)))
                throw new FormatException($"'{text}': a burst is burst:N or burst:N@S (N messages lost from sequence S >= 1), e.g. burst:10000");
            return new LossModel(LossKind.Burst, 0, count, start);
        }
        throw new FormatException($"'{text}' is not a loss model: use P% (random), burst:N[@S], dead or none");
    }

    public override string ToString() => Kind switch
    {
        LossKind.Random => (Rate * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%",
        LossKind.Burst => $"burst:{BurstMessages}@{BurstStart}",
        LossKind.Dead => "dead",
        _ => "none",
    };
}

/// <summary>
/// A <see cref="LossModel"/> applied to one stream of packets: draws (seeded, so a run repeats), counts what it dropped.
/// Single-threaded (the sending thread).
/// </summary>
public sealed class LossDraw
{
    private SimRandom _random; // mutable struct: never readonly

    public LossDraw(LossModel model, ulong seed)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _random = new SimRandom(seed == 0 ? 1 : seed);
    }

    public LossModel Model { get; }
    /// <summary>Packets dropped.</summary>
    public long PacketsDropped;
    /// <summary>Messages in the dropped packets.</summary>
    public long MessagesDropped;

    /// <summary>True when <paramref name="packet"/> (a MoldUDP64 packet) is lost.</summary>
    public bool Drops(ReadOnlySpan<byte> packet)
    {
        if (Model.Kind == LossKind.None || packet.Length < MoldPacketReader.HeaderSize) return false;
        ushort count = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(MoldPacketReader.CountOffset));
        bool data = count != MoldPacketReader.HeartbeatCount && count != MoldPacketReader.EndOfSessionCount;
        bool drop;
        switch (Model.Kind)
        {
            case LossKind.Random:
                drop = _random.NextDouble() < Model.Rate;
                break;
            case LossKind.Burst:
                ulong first = BinaryPrimitives.ReadUInt64BigEndian(packet.Slice(MoldPacketReader.SequenceOffset));
                drop = data && first < (ulong)(Model.BurstStart + Model.BurstMessages) && first + count > (ulong)Model.BurstStart;
                break;
            default:
                drop = true;
                break;
        }
        if (drop)
        {
            PacketsDropped++;
            if (data) MessagesDropped += count;
        }
        return drop;
    }
}

/// <summary>
/// The loss of a line's two copies: side A's, side B's, and one applied to both at once (the same packets lost on
/// both lines, which only the re-request server can fill). Written "1%" (independently 1% on A and on B), or a list
/// "A=1%,B=burst:10000,both=0.1%" (a side not named loses nothing); see <see cref="LossModel"/>.
/// </summary>
public sealed record LossPlan(LossModel A, LossModel B, LossModel Both)
{
    public static readonly LossPlan None = new(LossModel.None, LossModel.None, LossModel.None);

    /// <summary>True when nothing is lost.</summary>
    public bool IsNone => A.Kind == LossKind.None && B.Kind == LossKind.None && Both.Kind == LossKind.None;

    /// <summary>Parses a plan; throws <see cref="FormatException"/> naming what is allowed.</summary>
    public static LossPlan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('='))
        {
            var m = LossModel.Parse(text);
            return new LossPlan(m, m, LossModel.None);
        }
        LossModel a = LossModel.None, b = LossModel.None, both = LossModel.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"'{part}': write SIDE=MODEL with SIDE one of A, B, both, e.g. A=1%");
            string side = part[..eq].Trim();
            var model = LossModel.Parse(part[(eq + 1)..]);
            if (side.Equals("A", StringComparison.OrdinalIgnoreCase)) a = model;
            else if (side.Equals("B", StringComparison.OrdinalIgnoreCase)) b = model;
            else if (side.Equals("both", StringComparison.OrdinalIgnoreCase)) both = model;
            else throw new FormatException($"'{side}' is not a side: use A, B or both");
        }
        return new LossPlan(a, b, both);
    }

    public override string ToString() => IsNone ? "none" : $"A={A},B={B},both={Both}";
}
