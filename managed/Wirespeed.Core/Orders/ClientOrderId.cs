namespace Wirespeed.Core.Orders;

/// <summary>
/// Client order ids carry their order slot: id = request number &lt;&lt; <see cref="SlotBits"/> | slot. An answer
/// finds its order with a mask instead of a lookup table, and the record checks the whole id, so an answer about an
/// earlier order that used the same slot is recognised as stale. Request numbers start at 1, so 0 is never an id.
/// On the wire (FIX ClOrdID, 11) it is written as a configured prefix and the decimal number.
/// </summary>
public static class ClientOrderId
{
    /// <summary>Slot bits: up to 2^20 orders in flight at once.</summary>
    public const int SlotBits = 20;
    public const int MaxSlots = 1 << SlotBits;
    private const ulong SlotMask = MaxSlots - 1;

    public static ulong Make(ulong request, int slot) => request << SlotBits | (uint)slot;

    public static int SlotOf(ulong id) => (int)(id & SlotMask);
}
