using Wirespeed.Core.Signals;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>Signals collected by the in-process callback into a pre-allocated array (the worker allocates nothing).</summary>
public sealed class SignalBox
{
    public readonly Signal[] Items = new Signal[200_000];
    public int Count;
    public int Overflow;
}

/// <summary>The in-process callback of these tests.</summary>
public readonly struct BoxCallback : ISignalCallback
{
    private readonly SignalBox _box;
    public BoxCallback(SignalBox box) => _box = box;

    public void OnSignal(in Signal signal)
    {
        if (_box.Count < _box.Items.Length) _box.Items[_box.Count++] = signal;
        else _box.Overflow++;
    }
}
