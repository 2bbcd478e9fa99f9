using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Interop;

/// <summary>The C# mirrors of the network, io_uring and AF_XDP structs agree with wirespeed_native.h: sizes from its
/// sizeof and offsetof _Static_asserts, flag values from its #defines. The full table of sizes and offsets is
/// <see cref="AbiLayout"/>, checked by <see cref="AbiLayoutTests"/>.</summary>
public sealed class NetAbiLayoutTests
{
    private static string Repo(params string[] parts) => Path.Combine([SharedData.RepoRoot, .. parts]);

    private static Dictionary<string, int> CSizes()
    {
        var sizes = new Dictionary<string, int>();
        var re = new Regex(@"_Static_assert\(sizeof\((ws_\w+_t)\) == (\d+)");
        foreach (Match m in re.Matches(File.ReadAllText(Repo("native", "include", "wirespeed_native.h"))))
            sizes[m.Groups[1].Value] = int.Parse(m.Groups[2].Value);
        return sizes;
    }

    [Fact]
    public void Every_mirrored_struct_has_the_size_the_header_asserts()
    {
        var c = CSizes();
        Assert.Equal(c["ws_udp_open_t"], Unsafe.SizeOf<UdpOpen>());
        Assert.Equal(c["ws_rx_desc_t"], Unsafe.SizeOf<RxDesc>());
        Assert.Equal(c["ws_rx_stats_t"], Unsafe.SizeOf<RxStats>());
        Assert.Equal(c["ws_tx_desc_t"], Unsafe.SizeOf<TxDesc>());
        Assert.Equal(c["ws_uring_rx_options_t"], Unsafe.SizeOf<UringRxOptions>());
        Assert.Equal(c["ws_xdp_rx_options_t"], Unsafe.SizeOf<XdpRxOptions>());
    }

    [Fact]
    public void Every_mirrored_field_sits_at_the_offset_the_header_asserts()
    {
        var types = new Dictionary<string, Type>
        {
            ["UdpOpen"] = typeof(UdpOpen), ["RxDesc"] = typeof(RxDesc), ["RxStats"] = typeof(RxStats),
            ["TxDesc"] = typeof(TxDesc), ["UringRxOptions"] = typeof(UringRxOptions), ["XdpRxOptions"] = typeof(XdpRxOptions),
        };
        var re = new Regex(@"offsetof\(\w+, \w+\) == (\d+), ""(\w+)\.(\w+)""");
        int checkedFields = 0;
        foreach (Match m in re.Matches(File.ReadAllText(Repo("native", "include", "wirespeed_native.h"))))
        {
            Type t = types[m.Groups[2].Value];
            string field = m.Groups[3].Value;
            Assert.Equal(int.Parse(m.Groups[1].Value), (int)Marshal.OffsetOf(t, field));
            checkedFields++;
        }
        Assert.True(checkedFields >= 35, $"only {checkedFields} offsets found");
    }

    private static long Define(string name)
    {
        var m = Regex.Match(File.ReadAllText(Repo("native", "include", "wirespeed_native.h")),
                            @"#define\s+" + name + @"\s+(0x[0-9a-fA-F]+|\d+)u?");
        Assert.True(m.Success, $"{name} missing");
        string v = m.Groups[1].Value;
        return v.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToInt64(v[2..], 16) : long.Parse(v);
    }

    [Fact]
    public void Flag_values_match_the_header()
    {
        Assert.Equal((long)UdpOpenFlags.ReuseAddress, Define("WS_UDP_REUSEADDR"));
        Assert.Equal((long)UdpOpenFlags.TimestampNs, Define("WS_UDP_TIMESTAMPNS"));
        Assert.Equal((long)UdpOpenFlags.ForceBuffer, Define("WS_UDP_RCVBUFFORCE"));
        Assert.Equal((long)UdpOpenFlags.NonBlocking, Define("WS_UDP_NONBLOCK"));
        Assert.Equal((long)UdpOpenFlags.Sender, Define("WS_UDP_SENDER"));
        Assert.Equal((long)RxFlags.Truncated, Define("WS_RX_TRUNCATED"));
        Assert.Equal((long)RxFlags.NoStamp, Define("WS_RX_NO_STAMP"));
        Assert.Equal((long)UringSetupFlags.DeferTaskRun, Define("WS_URING_DEFER_TASKRUN"));
        Assert.Equal((long)UringSetupFlags.SqPoll, Define("WS_URING_SQPOLL"));
        Assert.Equal((long)UringSetupFlags.CoopTaskRun, Define("WS_URING_COOP_TASKRUN"));
        Assert.Equal((long)UringSetupFlags.EnterAlways, Define("WS_URING_ENTER_ALWAYS"));
        Assert.Equal(UringRxOptions.Headroom, Define("WS_URING_RX_HEADROOM"));
        Assert.Equal((long)XdpMode.Skb, Define("WS_XDP_MODE_SKB"));
        Assert.Equal((long)XdpMode.Drv, Define("WS_XDP_MODE_DRV"));
        Assert.Equal((long)XdpOpenFlags.WantZeroCopy, Define("WS_XDP_WANT_ZEROCOPY"));
        Assert.Equal((long)XdpOpenFlags.DetachLeftover, Define("WS_XDP_DETACH_LEFTOVER"));
        Assert.Equal((long)XdpOpenResult.ZeroCopy, Define("WS_XDP_ZEROCOPY"));
        Assert.Equal((long)XdpOpenResult.CopyFallback, Define("WS_XDP_COPY_FALLBACK"));
        Assert.Equal((long)XdpOpenResult.Recovered, Define("WS_XDP_RECOVERED"));
    }

    [Fact]
    public void Interface_names_that_do_not_fit_ifnamsiz_are_refused()
    {
        XdpRxOptions o = default;
        Assert.True(o.TrySetInterface("veth0"));
        Assert.False(o.TrySetInterface("a-name-of-16-chr"));
        Assert.False(o.TrySetInterface(""));
        Assert.False(o.TrySetInterface("bad name"));
    }
}
