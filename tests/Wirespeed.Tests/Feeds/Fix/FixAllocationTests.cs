using System;
using Wirespeed.Feeds.Fix;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>Framing, parsing, reading and encoding allocate nothing once warm, for valid and faulty messages alike.</summary>
public sealed class FixAllocationTests
{
    [Fact]
    public void Frame_parse_read_and_encode_allocate_zero_bytes_after_warm_up()
    {
        byte[][] messages =
        {
            Incremental(5), Incremental(0), Body("D", "11=c|54=1|40=2|44=1.5|453=1|448=a|802=1|523=x|"),
            Body("X", "268=2|279=0|269=0|"), Body("1", "112=|"), Msg("35=0|" + Header44, checkSumDelta: 1), Body("Q", ""),
        };
        var parser = new FixParser(FixDictionary.Default);
        var output = new byte[512];
        long sink = 0;

        void RunAll()
        {
            foreach (var m in messages)
            {
                FixFramer.TryFrame(m, out var f);
                sink += f.Length;
                if (parser.Parse(m, out var v) != FixStatus.Ok) { sink += parser.ErrorTag; continue; }
                v.TryGetInt(34, out long seq);
                v.TryGetTimestamp(52, out long ts);
                sink += seq + ts;
                var g = v.Group(268);
                for (int i = 0; i < g.Count; i++)
                {
                    g[i].TryGetFixed(270, 4, out long px);
                    g[i].TryGetChar(269, out byte side);
                    sink += px + side;
                }
            }
            var w = new FixWriter(output, "FIXT.1.1"u8, "D"u8);
            w.Bytes(49, "WS"u8);
            w.Int(34, 99);
            w.Timestamp(52, 1_765_000_000_000_000_000L, FixTimePrecision.Nanoseconds);
            w.Fixed(44, 1_871_234, 4);
            w.Char(54, (byte)'1');
            w.Finish(out int n);
            sink += n;
        }

        for (int i = 0; i < 100; i++) RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) RunAll();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sink);
    }
}
