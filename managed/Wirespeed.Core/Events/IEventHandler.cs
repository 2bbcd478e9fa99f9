namespace Wirespeed.Core.Events;

/// <summary>Receives decoded events; implemented by structs so callers specialise on it.</summary>
public interface IEventHandler
{
    void OnEvent(ref MarketEvent evt);
}
