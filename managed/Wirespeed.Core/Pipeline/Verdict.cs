namespace Wirespeed.Core.Pipeline;

/// <summary>What a stage decided about one event. The runner counts each value per stage.</summary>
public enum Verdict : byte
{
    /// <summary>Pass the event on to the next stage.</summary>
    Continue = 0,
    /// <summary>Remove the event from the batch on purpose (filtered, duplicate …); counted as dropped.</summary>
    Drop = 1,
    /// <summary>Remove the event because it is bad (the stage has already captured what it needs); counted as quarantined.</summary>
    Quarantine = 2,
}
