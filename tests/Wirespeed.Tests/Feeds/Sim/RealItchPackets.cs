using System;
using System.Buffers.Binary;
using System.IO;
using Wirespeed.Tests.Infrastructure;

namespace Wirespeed.Tests.Feeds.Sim;

/// <summary>Reads the first ITCH message out of the real NASDAQ captures in shared/data (classic pcap, optional 802.1Q tag).</summary>
internal static class RealItchPackets
{
    public static byte[] FirstMessage(string file)
    {
        byte[] d = File.ReadAllBytes(SharedData.Path("itch/nasdaq-packets/" + file));
        int incl = (int)BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(24 + 8));
        ReadOnlySpan<byte> frame = d.AsSpan(24 + 16, incl);
        int eth = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)) == 0x8100 ? 18 : 14;
        int ihl = (frame[eth] & 0x0F) * 4;
        ReadOnlySpan<byte> mold = frame.Slice(eth + ihl + 8);
        int len = BinaryPrimitives.ReadUInt16BigEndian(mold.Slice(20));
        return mold.Slice(22, len).ToArray();
    }
}
