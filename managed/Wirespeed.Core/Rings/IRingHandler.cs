namespace Wirespeed.Core.Rings;

/// <summary>Consumes ring items; implemented by structs so <c>Poll&lt;THandler&gt;</c> is specialised and inlined.</summary>
public interface IRingHandler<T> where T : unmanaged
{
    /// <summary>One item. The reference is valid only during the call: the slot is reused after the batch ends.</summary>
    void OnItem(ref T item);
}
