using System.Threading;

namespace Wirespeed.Core.Orders;

/// <summary>Who pulled the kill switch.</summary>
public enum KillReason : byte
{
    None = 0,
    /// <summary>A circuit breaker reached Halted.</summary>
    Breaker = 1,
    /// <summary>An operator (a method call today; a command or signal later).</summary>
    Operator = 2,
}

/// <summary>
/// Stops all order flow: once pulled, the order manager cancels every working order and refuses new ones until
/// <see cref="Release"/>. Any thread may pull or release it (the breaker stage, an operator's command); the session
/// thread reads it. Each pull gets a new epoch, so a pull after a release cancels again.
/// </summary>
public sealed class KillSwitch
{
    private int _reason;   // KillReason; written by Pull/Release, read by the session thread
    private long _epoch;

    /// <summary>The reason of the pull in force, or None.</summary>
    public KillReason Reason => (KillReason)Volatile.Read(ref _reason);   // acquire: pairs with the writes in Pull/Release

    public bool IsPulled => Volatile.Read(ref _reason) != 0;

    /// <summary>Increases with every pull.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>Pulls the switch (a second pull while pulled keeps the first reason and changes nothing).</summary>
    public void Pull(KillReason reason)
    {
        if (reason == KillReason.None) return;
        if (Interlocked.CompareExchange(ref _reason, (int)reason, 0) == 0) Interlocked.Increment(ref _epoch);
    }

    /// <summary>Lets orders flow again. Explicit: nothing releases it by itself.</summary>
    public void Release() => Volatile.Write(ref _reason, 0);   // release: pairs with Volatile.Read in Reason
}
