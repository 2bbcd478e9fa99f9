namespace Wirespeed.Core.Orders;

/// <summary>
/// Where the order manager's requests go: a protocol encoder over a session (FIX: D, F, G). Implemented by a struct so
/// the calls are direct. Called on the session thread only. Each Send returns the transport's sequence number of the
/// message (so a session-level reject can be matched to it), or a value below 1 when nothing was sent.
/// </summary>
public interface IOrderGateway
{
    /// <summary>True while the session can carry orders (logged on).</summary>
    bool IsUp { get; }

    /// <summary>A new order with the terms and id in <paramref name="order"/>.</summary>
    long SendNew(in OrderRecord order);

    /// <summary>Cancel of <paramref name="order"/> (known by <see cref="OrderRecord.ClientId"/>) under the new id <paramref name="cancelId"/>.</summary>
    long SendCancel(in OrderRecord order, ulong cancelId);

    /// <summary>Cancel/replace of <paramref name="order"/> under <paramref name="replaceId"/> with a new quantity and price.</summary>
    long SendReplace(in OrderRecord order, ulong replaceId, long quantity, long price);
}
