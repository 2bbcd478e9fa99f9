using Wirespeed.Interop.Handles;

namespace Wirespeed.Feeds.Udp;

/// <summary>Cold-path check that AF_XDP has something to bind on an interface (without attaching anything).</summary>
internal static class XdpSupport
{
    public static bool Probe(string interfaceName, out string reason)
    {
        int queues = PacketReceiver.XdpQueueCount(interfaceName);
        if (queues <= 0)
        {
            reason = $"cannot count receive queues of {interfaceName} ({Wirespeed.Interop.NativeError.Describe(queues)})";
            return false;
        }
        reason = $"AF_XDP on {interfaceName}: {queues} receive queue(s), CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF and CAP_SYS_ADMIN held";
        return true;
    }
}
