using System.Threading;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Measures allocation on a hot thread from inside it: once the command opens the warm-up gate, the next batch marks
/// the thread's allocated bytes and every later batch publishes the difference (about 10 ns a batch of up to 64
/// events, no allocation), so the figure is exact whenever the worker stops.
/// </summary>
public sealed class HotThreadProbe
{
    private int _open;

    public HotThreadProbe(string name) => Probe = new ThreadAllocationProbe(name);

    public ThreadAllocationProbe Probe { get; }

    /// <summary>Any thread: warm-up is over; from the next batch on, allocation on the hot thread is counted.</summary>
    public void Open() => Volatile.Write(ref _open, 1); // release; pairs with the Volatile.Read in OnBatch

    /// <summary>Hot thread, once per batch.</summary>
    public void OnBatch()
    {
        if (Volatile.Read(ref _open) == 0) return;
        if (!Probe.IsMarked) Probe.Mark();
        else Probe.Publish();
    }
}
