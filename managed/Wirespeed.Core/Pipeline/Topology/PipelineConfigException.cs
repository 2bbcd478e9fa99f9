using System;
using System.Collections.Generic;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>The pipeline configuration is invalid. <see cref="Errors"/> holds one line per problem, each naming the field and the fix.</summary>
public sealed class PipelineConfigException : Exception
{
    public PipelineConfigException(IReadOnlyList<string> errors)
        : base("invalid pipeline configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
