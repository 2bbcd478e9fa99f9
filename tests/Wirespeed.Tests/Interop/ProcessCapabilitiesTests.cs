using System;
using System.Globalization;
using System.IO;
using Wirespeed.Interop;
using Xunit;

namespace Wirespeed.Tests.Interop;

/// <summary>capget(2) through LibraryImport reads the same effective set the kernel shows in /proc/self/status.</summary>
public sealed class ProcessCapabilitiesTests
{
    private static ulong CapEffFromProc()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                return ulong.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        throw new InvalidOperationException("no CapEff line in /proc/self/status");
    }

    [Fact]
    public void The_effective_set_matches_proc_self_status()
    {
        Assert.Equal(0, ProcessCapabilities.TryReadEffective(out ulong mask));
        Assert.Equal(CapEffFromProc(), mask);
    }

    [Fact]
    public void Missing_names_exactly_the_capabilities_the_set_lacks()
    {
        ulong eff = CapEffFromProc();
        Capability[] wanted = [Capability.NetRaw, Capability.NetAdmin, Capability.Bpf, Capability.SysAdmin, Capability.IpcLock];
        var missing = ProcessCapabilities.Missing(wanted);
        foreach (var c in wanted)
        {
            bool held = (eff & (1UL << (int)c)) != 0;
            Assert.Equal(held, ProcessCapabilities.Has(c));
            Assert.Equal(!held, missing.Contains(ProcessCapabilities.Name(c)));
        }
        Assert.Equal("CAP_SYS_ADMIN", ProcessCapabilities.Name(Capability.SysAdmin));
        Assert.Equal("CAP_BPF", ProcessCapabilities.Name(Capability.Bpf));
    }
}
