
namespace Wirespeed.Core.Agents;

/// <summary>
/// An idle strategy picked at run time from <see cref="IdleStrategyOptions"/>, dispatching with a switch. For places
/// that wait off the fast path (a ring sink under back-pressure), where one more generic parameter per strategy would
/// multiply the compiled compositions. Worker loops use the specialised structs instead (see <see cref="Worker"/>).
/// </summary>
public struct ConfiguredIdleStrategy : IIdleStrategy
{
    private readonly IdleStrategyKind _kind;
    private BackOffIdleStrategy _backOff;

    public ConfiguredIdleStrategy(IdleStrategyOptions options)
    {
        _kind = options.Kind;
        _backOff = options.CreateBackOff();
    }

    public readonly IdleStrategyKind Kind => _kind;

    public void Idle(int workCount)
    {
        if (workCount > 0) Reset();
        else Idle();
    }

    public void Idle()
    {
        switch (_kind)
        {
            case IdleStrategyKind.BusySpin: new BusySpinIdleStrategy().Idle(); break;
            case IdleStrategyKind.Yield: new YieldIdleStrategy().Idle(); break;
            default: _backOff.Idle(); break;
        }
    }

    public void Reset() => _backOff.Reset();
}
