using Wirespeed.Core.Priority;

namespace Wirespeed.Configuration;

public static partial class ConfigValidator
{
    /// <summary>The priority section mapped onto the library's options and checked by <see cref="PriorityOptions.Validated"/>; its error is rethrown naming the field.</summary>
    public static PriorityOptions ValidatePriority(PriorityConfig? p)
    {
        Require(p is not null, "priority", "section is null; remove it or write { }.");
        Require(p!.Rules is not null, "priority.rules", "is null; remove it for the default rule table.");
        for (int i = 0; i < p.Rules!.Count; i++) Require(p.Rules[i] is not null, $"priority.rules[{i}]", "is null; write an object, e.g. { \"type\": \"halts\", \"lane\": \"critical\" }.");
        Require(p.WatchInstruments is not null, "priority.watchInstruments", "is null; write [] for none.");
        Require(p.WatchSectors is not null, "priority.watchSectors", "is null; write [] for none.");
        Require(p.Phases is not null, "priority.phases", "is null; write [] for none.");
        for (int i = 0; i < p.Phases!.Count; i++) Require(p.Phases[i] is not null, $"priority.phases[{i}]", "is null; write an object.");
        Require(p.AgingBound is not null, "priority.agingBound", "is null; remove it for the defaults [0, 64, 256, 1024].");
        try
        {
            return p.ToOptions().Validated();
        }
        catch (PriorityConfigException e)
        {
            throw Named(e.FieldPath, e.Message);
        }
    }
}
