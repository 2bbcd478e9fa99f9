namespace Wirespeed.Core.Rings;

/// <summary>Consumes ring items; implemented by structs so <c>Poll&lt;THandler&gt;</c> is specialised and inlined.</summary>
public interface IRingHandler<T> where T : unmanaged
{
    /// <summary>One item. The reference is valid only during the call: the slot is reused after the batch ends.</summary>
    void OnItem(ref T item);
}

/// <summary>Consumes routed ring items with their sequence (<see cref="SpmcBroadcast{T}.Consumer.PollRouted{THandler}"/>).</summary>
public interface IRoutedRingHandler<T> where T : unmanaged
{
    /// <summary>One item routed to this consumer and its sequence on the ring. The reference is valid only during the call.</summary>
    void OnItem(ref T item, long sequence);
}
