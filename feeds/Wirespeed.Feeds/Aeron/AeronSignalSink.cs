using System.Runtime.CompilerServices;
using Wirespeed.Core.Signals;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// The Aeron signal sink (DESIGN.md: signals to strategy or OMS boxes): each signal goes out as a 64-byte record on the
/// worker's own <see cref="AeronRecordPublisher"/> (made with recordsPerMessage 1, so nothing waits for a batch). The
/// publisher's duties (<see cref="AeronRecordPublisher.DoWork"/>) run on the same thread, between polls.
/// </summary>
public readonly struct AeronSignalSink : ISignalSink
{
    private readonly AeronRecordPublisher _publisher;

    public AeronSignalSink(AeronRecordPublisher publisher) => _publisher = publisher;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnSignal(in Signal signal) => _publisher.Publish(in signal);
}
