using System.Threading;
using Wirespeed.Core.Breakers;

namespace Wirespeed.Core.Orders;

/// <summary>
/// The breakers' actions wired to the order side: a scope entering Halted (with the cancelAll response, the default
/// for Halted) pulls the kill switch, which cancels every working order and blocks new ones; a cancelAll at a lower
/// level asks for a one-off cancel of all working orders without blocking. Called on the breaker stage's thread: it
/// only sets flags.
/// </summary>
public readonly struct KillSwitchBreakerActions : IBreakerActions
{
    private readonly KillSwitch _kill;
    private readonly CancelAllRequest _cancel;

    public KillSwitchBreakerActions(KillSwitch kill, CancelAllRequest cancel)
    {
        _kill = kill;
        _cancel = cancel;
    }

    public void CancelAll(in BreakerTransition transition)
    {
        if (transition.To == BreakerLevel.Halted) _kill.Pull(KillReason.Breaker);
        else _cancel.Request();
    }

    public void Alert(in BreakerTransition transition) => _cancel.CountAlert();
}

/// <summary>A one-off "cancel every working order" asked by another thread; the session thread takes it.</summary>
public sealed class CancelAllRequest
{
    private long _requested;
    private long _alerts;

    public void Request() => Interlocked.Increment(ref _requested);

    /// <summary>Requests made so far (the session thread compares it with the ones it served).</summary>
    public long Requested => Volatile.Read(ref _requested);

    internal void CountAlert() => Interlocked.Increment(ref _alerts);

    /// <summary>Breaker alerts seen by the order side.</summary>
    public long Alerts => Volatile.Read(ref _alerts);
}
