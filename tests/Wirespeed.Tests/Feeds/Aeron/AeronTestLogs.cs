using Wirespeed.Core.Memory;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>Arenas for the Aeron tests: small, no huge pages, no lock (a test is not a trading box).</summary>
internal static class AeronTestLogs
{
    public static Arena NewArena(long bytes)
        => Arena.Create("aeron.test", new ArenaOptions { SizeBytes = bytes, HugePages = false, Lock = false, Prefault = false }, new MemoryRegistry(0));
}
