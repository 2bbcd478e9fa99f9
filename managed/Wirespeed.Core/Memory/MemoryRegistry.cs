using System;
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

    /// <summary>Sum of reserved bytes of all top-level accounts (carved accounts are inside their parent's bytes).</summary>
    public long ReservedBytes
    {
        get { lock (_gate) return TopLevelSumUnsynchronized(); }
    }

    /// <summary>Registers an account; throws when the ceiling would be exceeded (start-up only).</summary>
    public MemoryAccount Register(string name, long reservedBytes, long capacityUnits)
    {
        lock (_gate)
        {
            long sum = reservedBytes + TopLevelSumUnsynchronized();
            if (CeilingBytes > 0 && sum > CeilingBytes)
                throw new MemoryCeilingException(name, reservedBytes, sum, CeilingBytes);
            var account = new MemoryAccount(name, reservedBytes, capacityUnits);
            _accounts.Add(account);
            return account;
        }
    }

    /// <summary>
    /// Registers a pool or ring whose bytes were carved from <paramref name="parent"/> (an arena's account): reported
    /// like any other account, but not counted again against the ceiling (start-up only).
    /// </summary>
    public MemoryAccount RegisterCarved(string name, MemoryAccount parent, long reservedBytes, long capacityUnits)
    {
        ArgumentNullException.ThrowIfNull(parent);
        lock (_gate)
        {
            if (!_accounts.Contains(parent))
                throw new ArgumentException($"parent account '{parent.Name}' is not registered here", nameof(parent));
            var account = new MemoryAccount(name, reservedBytes, capacityUnits) { Parent = parent };
            _accounts.Add(account);
            return account;
        }
    }

    /// <summary>Removes an account whose reservation was undone (a mapping that failed after registering).</summary>
    internal void Unregister(MemoryAccount account)
    {
        lock (_gate) _accounts.Remove(account);
    }

    private long TopLevelSumUnsynchronized()
    {
        long sum = 0;
        foreach (var a in _accounts)
            if (a.Parent == null) sum += a.ReservedBytes;
        return sum;
    }

    /// <summary>A copy of the registered accounts (monitor thread).</summary>
    public MemoryAccount[] Snapshot() { lock (_gate) return _accounts.ToArray(); }
}
