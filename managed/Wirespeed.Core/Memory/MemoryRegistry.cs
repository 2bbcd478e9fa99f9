using System.Collections.Generic;

namespace Wirespeed.Core.Memory;

/// <summary>
/// Every pool and arena of the process, registered at start-up (cold path), so the monitor and summaries can report
/// reserved, used and high-water per pool, and start-up can enforce the configured ceiling.
/// </summary>
public sealed class MemoryRegistry
{
    private readonly List<MemoryAccount> _accounts = new();
    private readonly object _gate = new();

    public MemoryRegistry(long ceilingBytes) => CeilingBytes = ceilingBytes;

    /// <summary>Configured hard ceiling on reserved bytes; 0 means unlimited.</summary>
    public long CeilingBytes { get; }

    /// <summary>Sum of reserved bytes of all accounts.</summary>
    public long ReservedBytes
    {
        get { lock (_gate) { long sum = 0; foreach (var a in _accounts) sum += a.ReservedBytes; return sum; } }
    }

    /// <summary>Registers an account; throws when the ceiling would be exceeded (start-up only).</summary>
    public MemoryAccount Register(string name, long reservedBytes, long capacityUnits)
    {
        lock (_gate)
        {
            long sum = reservedBytes;
            foreach (var a in _accounts) sum += a.ReservedBytes;
            if (CeilingBytes > 0 && sum > CeilingBytes)
                throw new MemoryCeilingException(name, reservedBytes, sum, CeilingBytes);
            var account = new MemoryAccount(name, reservedBytes, capacityUnits);
            _accounts.Add(account);
            return account;
        }
    }

    /// <summary>A copy of the registered accounts (monitor thread).</summary>
    public MemoryAccount[] Snapshot() { lock (_gate) return _accounts.ToArray(); }
}
