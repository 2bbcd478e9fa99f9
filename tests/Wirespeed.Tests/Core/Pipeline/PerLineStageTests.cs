using System;
using System.Collections.Generic;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;
using Xunit;

namespace Wirespeed.Tests.Core.Pipeline;

/// <summary>The building blocks of a worker that receives several feed lines: one stage per line, one packet source over all.</summary>
public class PerLineStageTests
{
    private sealed class Log
    {
        public readonly List<(int Stage, byte Line)> Seen = new();
        public readonly List<int> Ended = new();
    }

    private readonly struct Recording : IStage
    {
        private readonly Log _log;
        private readonly int _index;

        public Recording(Log log, int index)
        {
            _log = log;
            _index = index;
        }

        public Verdict Process(ref MarketEvent evt, in StageContext ctx)
        {
            _log.Seen.Add((_index, evt.LineId));
            return evt.Quantity == 0 ? Verdict.Drop : Verdict.Continue;
        }

        public void EndBatch(in StageContext ctx) => _log.Ended.Add(_index);
    }

    [Fact]
    public void Each_event_goes_to_its_lines_stage_and_every_line_ends_the_batch()
    {
        var log = new Log();
        var stage = new PerLineStage<Recording>(new LineIndex([7, 2, 40]), [new Recording(log, 0), new Recording(log, 1), new Recording(log, 2)]);
        Assert.Equal(3, stage.Lines);
        var ctx = new StageContext();
        foreach (byte line in new byte[] { 2, 40, 7, 7, 2 })
        {
            var e = new MarketEvent { LineId = line, Quantity = line == 40 ? 0u : 1u };
            Assert.Equal(line == 40 ? Verdict.Drop : Verdict.Continue, stage.Process(ref e, in ctx));   // the line's own verdict
        }
        stage.EndBatch(in ctx);
        Assert.Equal([(1, (byte)2), (2, (byte)40), (0, (byte)7), (0, (byte)7), (1, (byte)2)], log.Seen);
        Assert.Equal([0, 1, 2], log.Ended);
        var stray = new MarketEvent { LineId = 99, Quantity = 1 };   // a line not listed maps to the first line's stage
        stage.Process(ref stray, in ctx);
        Assert.Equal((0, (byte)99), log.Seen[^1]);
    }

    [Fact]
    public void Bad_line_lists_are_refused_at_start_up()
    {
        var log = new Log();
        Assert.Throws<ArgumentException>(() => new PerLineStage<Recording>(new LineIndex([1, 1]), [new Recording(log, 0), new Recording(log, 1)]));
        Assert.Throws<ArgumentException>(() => new PerLineStage<Recording>(new LineIndex([1]), [new Recording(log, 0), new Recording(log, 1)]));
        Assert.Throws<ArgumentException>(() => new PerLineStage<Recording>(new LineIndex([]), []));
        Assert.Throws<ArgumentNullException>(() => new PerLineStage<Recording>(new LineIndex([1]), null!));
    }

    /// <summary>A line with a fixed number of one-byte packets, stamped with its line id.</summary>
    private sealed class Line(byte id, int packets)
    {
        public readonly byte Id = id;
        public int Left = packets;
    }

    private readonly struct LinePackets(Line line) : IPacketSource
    {
        public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        {
            int n = 0;
            for (; n < limit && line.Left > 0; n++, line.Left--) handler.OnPacket([line.Id], new PacketInfo(0, line.Id, PacketSourceKind.InProcess));
            return n;
        }
    }

    private struct Collect : IPacketHandler
    {
        public List<byte> Lines;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            Assert.Equal(payload[0], info.LineId);
            Lines.Add(info.LineId);
        }
    }

    [Fact]
    public void The_lines_source_starts_each_poll_at_the_next_line_and_fills_the_limit_from_the_others()
    {
        var source = new LinesPacketSource<LinePackets>([new LinePackets(new Line(0, 5)), new LinePackets(new Line(1, 2)), new LinePackets(new Line(2, 0))]);
        Assert.Equal(3, source.Lines);
        var h = new Collect { Lines = new List<byte>() };
        Assert.Equal(3, source.Poll(ref h, 3));   // line 0 first: three of its five
        Assert.Equal(3, source.Poll(ref h, 3));   // line 1 first: both of its, then line 2 (empty), then line 0
        Assert.Equal(1, source.Poll(ref h, 3));   // line 2 first (empty), line 0's last, line 1 empty
        Assert.Equal(0, source.Poll(ref h, 3));
        Assert.Equal(0, source.Poll(ref h, 0));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 1, 0, 0 }, h.Lines.ToArray());
        Assert.Throws<ArgumentException>(() => new LinesPacketSource<LinePackets>([]));
    }
}
