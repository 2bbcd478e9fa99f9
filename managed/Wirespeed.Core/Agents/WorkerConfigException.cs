using System;
using System.Collections.Generic;

namespace Wirespeed.Core.Agents;

/// <summary>
/// A worker's options are invalid (<see cref="Worker.Create{TAgent}"/>). <see cref="Errors"/> holds one line per
/// problem, each naming the field and the fix. The pipeline runs the same checks on its workers before it creates
/// them (reported as a <c>PipelineConfigException</c>), so this one reaches callers that create workers on their own.
/// </summary>
public sealed class WorkerConfigException : Exception
{
    public WorkerConfigException(IReadOnlyList<string> errors)
        : base("invalid worker configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
