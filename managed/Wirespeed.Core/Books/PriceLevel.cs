using System.Runtime.InteropServices;

namespace Wirespeed.Core.Books;

/// <summary>One aggregated price level: total displayed shares and number of orders at a price (4 implied decimals).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PriceLevel
{
    public long Price;
    public long Shares;
    public int Orders;

    public PriceLevel(long price, long shares, int orders)
    {
        Price = price;
        Shares = shares;
        Orders = orders;
    }

    public override readonly string ToString() => $"{Orders} orders, {Shares} @ {Price}";
}
