using System;
using System.Threading;

namespace Wirespeed.Core.Priority;

/// <summary>
/// The rule set in force, swapped atomically at run time (SIGHUP or a command). <see cref="TryReconfigure"/> compiles
/// and validates the whole new configuration first; a bad one is rejected with the field named and the old set keeps
/// running. The swap is one reference store (release); the classify stage reads <see cref="Current"/> once per batch
/// (acquire), so every event of a batch is classified by exactly one rule set.
/// </summary>
public sealed class RuleSetHolder
{
    private CompiledRuleSet _current;
    private readonly object _reconfigureGate = new();
    private long _rejected;

    /// <summary>Compiles <paramref name="options"/> (throws <see cref="PriorityConfigException"/> at start-up when invalid).</summary>
    public RuleSetHolder(PriorityOptions options)
    {
        _current = CompiledRuleSet.Compile(options, 1);
    }

    /// <summary>The rule set in force. Any thread.</summary>
    public CompiledRuleSet Current => Volatile.Read(ref _current);

    /// <summary>Reconfigurations refused.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>
    /// Cold path, any thread: validates and compiles <paramref name="options"/>, then swaps it in. On failure returns
    /// false with <paramref name="error"/> naming the field and the fix, and leaves the rule set in force untouched.
    /// Structural settings (laneCapacity, agingBound, lowerLaneBatchLimit, maxInstruments, changeLogCapacity) are fixed at
    /// start-up: a change to them is rejected too, since rings and tables cannot be resized under a running pipeline.
    /// </summary>
    public bool TryReconfigure(PriorityOptions options, out string? error)
    {
        lock (_reconfigureGate) // serialises reconfigurations only; the hot path never takes it
        {
            try
            {
                var old = Current.Options;
                if (options is null) throw new PriorityConfigException("priority", "priority: configuration section missing.");
                if (options.LaneCapacity != old.LaneCapacity) throw PriorityConfigException.Field("priority.laneCapacity", options.LaneCapacity, $"cannot change at run time (running with {old.LaneCapacity}); restart to resize the lanes");
                if (options.MaxInstruments != old.MaxInstruments) throw PriorityConfigException.Field("priority.maxInstruments", options.MaxInstruments, $"cannot change at run time (running with {old.MaxInstruments})");
                var next = CompiledRuleSet.Compile(options, Current.Version + 1);
                Volatile.Write(ref _current, next); // release: the compiled arrays are complete before the stage can see them
                error = null;
                return true;
            }
            catch (PriorityConfigException e)
            {
                Interlocked.Increment(ref _rejected);
                error = e.Message;
                return false;
            }
        }
    }
}
