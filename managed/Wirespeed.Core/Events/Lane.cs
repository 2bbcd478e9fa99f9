namespace Wirespeed.Core.Events;

/// <summary>Priority lane; lower value is served first.</summary>
public enum Lane : byte
{
    Critical = 0,
    High = 1,
    Normal = 2,
    Bulk = 3,
}
