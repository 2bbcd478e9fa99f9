using System;
using Wirespeed.Core.Books;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

public class BookGuardTests
{
    [Fact]
    public void A_book_set_without_options_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new OrderBookSet(null!));
        Assert.Equal("options", e.ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => OrderBookSet.ReservedBytes(null!)).ParamName);
    }
}
