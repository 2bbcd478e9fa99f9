using System.Threading;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// The end of warm-up as the command decides it (after a second of traffic, say), shared by the hot threads that mark
/// their <see cref="ThreadAllocationProbe"/> when it opens. One volatile read per check; never closes again.
/// </summary>
public sealed class WarmupGate
{
    private int _open;

    /// <summary>Any thread: warm-up is over.</summary>
    public void Open() => Volatile.Write(ref _open, 1);   // release; pairs with the acquire in IsOpen

    /// <summary>True once <see cref="Open"/> was called.</summary>
    public bool IsOpen => Volatile.Read(ref _open) != 0;
}
