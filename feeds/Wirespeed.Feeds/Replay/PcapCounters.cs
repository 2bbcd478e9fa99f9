using System.Collections.Generic;

namespace Wirespeed.Feeds.Replay;

/// <summary>Per-cause counters of a pcap replay (single writer: the polling thread).</summary>
/// <remarks>Identity: <c>Records = UdpPayloads + ShortFrames + NotIpv4 + BadIhl + TruncatedIp + NotUdp + Fragments + TruncatedUdp + UnsupportedLinkType</c>.</remarks>
public sealed class PcapCounters
{
    /// <summary>Complete records read from the file.</summary>
    public long Records;
    /// <summary>UDP payloads delivered.</summary>
    public long UdpPayloads;
    /// <summary>Frames too short for their Ethernet (and VLAN) header.</summary>
    public long ShortFrames;
    /// <summary>Frames whose EtherType (after any 802.1Q tags) is not IPv4, or whose IP version is not 4.</summary>
    public long NotIpv4;
    /// <summary>IPv4 headers with IHL &lt; 5 words, or longer than the frame.</summary>
    public long BadIhl;
    /// <summary>IPv4 total length shorter than its header, or longer than the bytes captured.</summary>
    public long TruncatedIp;
    /// <summary>IPv4 packets that are not UDP.</summary>
    public long NotUdp;
    /// <summary>IPv4 fragments (more-fragments set or non-zero offset): not reassembled.</summary>
    public long Fragments;
    /// <summary>UDP header or length not within the IP payload.</summary>
    public long TruncatedUdp;
    /// <summary>Records of a link type this reader does not parse.</summary>
    public long UnsupportedLinkType;
    /// <summary>Bytes at the end of the file that do not form a whole record (torn tail).</summary>
    public long TruncatedTailBytes;
    /// <summary>Records longer than the read buffer (a streamed file's; see PcapSource.Open): skipped unread.</summary>
    public long OversizedRecords;

    /// <summary>Every counter by its report name (snake_case), in the order above. Cold path.</summary>
    public Dictionary<string, long> Section() => new()
    {
        ["records"] = Records, ["udp_payloads"] = UdpPayloads, ["short_frames"] = ShortFrames, ["not_ipv4"] = NotIpv4,
        ["bad_ihl"] = BadIhl, ["truncated_ip"] = TruncatedIp, ["not_udp"] = NotUdp, ["fragments"] = Fragments,
        ["truncated_udp"] = TruncatedUdp, ["unsupported_link_type"] = UnsupportedLinkType,
        ["truncated_tail_bytes"] = TruncatedTailBytes, ["oversized_records"] = OversizedRecords,
    };
}
