using Wirespeed.Core.Breakers;

namespace Wirespeed.Configuration;

public static partial class ConfigValidator
{
    /// <summary>The breakers section mapped onto the library's options and checked by <see cref="BreakerOptions.Validated"/>; its error is rethrown naming the field.</summary>
    public static BreakerOptions ValidateBreakers(BreakersConfig? b)
    {
        Require(b is not null, "breakers", "section is null; remove it or write { }.");
        Require(b!.PriceBand is not null, "breakers.priceBand", "section is null; remove it or write { }.");
        Require(b.Volatility is not null, "breakers.volatility", "section is null; remove it or write { }.");
        Require(b.MessageRate is not null, "breakers.messageRate", "section is null; remove it or write { }.");
        Require(b.Spread is not null, "breakers.spread", "section is null; remove it or write { }.");
        Require(b.OneSidedBook is not null, "breakers.oneSidedBook", "section is null; remove it or write { }.");
        Require(b.Exchange is not null, "breakers.exchange", "section is null; remove it or write { }.");
        Require(b.PriceBand!.Thresholds is not null, "breakers.priceBand.thresholds", "is null; remove it for the defaults.");
        Require(b.Volatility!.Thresholds is not null, "breakers.volatility.thresholds", "is null; remove it for the defaults.");
        Require(b.MessageRate!.Thresholds is not null, "breakers.messageRate.thresholds", "is null; remove it for the defaults.");
        Require(b.Spread!.Thresholds is not null, "breakers.spread.thresholds", "is null; remove it for the defaults.");
        Require(b.OneSidedBook!.Thresholds is not null, "breakers.oneSidedBook.thresholds", "is null; remove it for the defaults.");
        Require(b.CautionResponses is not null, "breakers.cautionResponses", "is null; write [] for none.");
        Require(b.RestrictedResponses is not null, "breakers.restrictedResponses", "is null; write [] for none.");
        Require(b.HaltedResponses is not null, "breakers.haltedResponses", "is null; write [] for none.");
        Require(b.ThresholdMultipliers is not null, "breakers.thresholdMultipliers", "is null; remove it for the defaults [1, 1.5, 2, 3].");
        return Breakers(b.ToOptions());
    }

    /// <summary><paramref name="options"/> when <see cref="BreakerOptions.Validated"/> accepts them; its error rethrown naming the field otherwise.</summary>
    private static BreakerOptions Breakers(BreakerOptions options)
    {
        try
        {
            return options.Validated();
        }
        catch (BreakerConfigException e)
        {
            throw Named(e.FieldPath, e.Message);
        }
    }
}
