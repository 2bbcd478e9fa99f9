using System;
using System.Collections.Generic;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Pipeline.Topology;
using Wirespeed.Core.Books;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Priority;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

/// <summary>
/// A configuration as validation resolved it (<see cref="ConfigValidator.Resolve"/>): the sections as written, and the
/// library options and plans validation mapped and checked them into. Start-up (FeedHost, FeedPatterns), SIGHUP's
/// reload and check-config take this, so what was validated is exactly what runs and nothing is mapped twice. The
/// books and the lines' MoldUDP64 sessions map at start-up from <see cref="Config"/> (field copies; demo assigns the
/// lines' simulated sessions after validation, and a configured session is checked again by the decoder's options).
/// </summary>
public sealed class ResolvedConfig
{
    internal ResolvedConfig(WirespeedConfig config, IReadOnlyList<UdpOptions> sockets, PipelineOptions pipeline, IReadOnlyList<string> pipelineNotes, PriorityOptions priority,
        BreakerOptions breakers, InstrumentTable universe, PatternPlan patterns)
    {
        Sockets = sockets;
        Pipeline = pipeline;
        PipelineNotes = pipelineNotes;
        Config = config;
        Priority = priority;
        Breakers = breakers;
        Universe = universe;
        Patterns = patterns;
    }

    /// <summary>True for demo and bench: simulator.breakerProfile applied to <see cref="Breakers"/> (a recording says so, so its replay resolves alike).</summary>
    public bool SimulatedDay { get; init; }
    /// <summary>The sections as written (and as overridden on the command line).</summary>
    public WirespeedConfig Config { get; }
    /// <summary>The socket of each line (lines[i]: group, port, interface, receive buffer, datagram size, id), validated.</summary>
    public IReadOnlyList<UdpOptions> Sockets { get; }
    /// <summary>The feed chain's stages, budgets and workers, idle strategy auto decided for this machine (<see cref="Hosting.Lines.PipelinePlan"/>), validated.</summary>
    public PipelineOptions Pipeline { get; }
    /// <summary>The decisions <see cref="Pipeline"/> made for the user (idle strategies), one line each, for the start-up notes.</summary>
    public IReadOnlyList<string> PipelineNotes { get; }
    /// <summary>The priority section as the library's options, validated (<see cref="PriorityOptions.Validated"/>).</summary>
    public PriorityOptions Priority { get; }
    /// <summary>
    /// The breakers section as the library's options, validated; for demo and bench under simulator.breakerProfile
    /// compressed, with the simulated day's time constants and thresholds (the pattern plan's throttle follows them).
    /// </summary>
    public BreakerOptions Breakers { get; }
    /// <summary>The instruments pattern legs were resolved against (patterns.instruments or the simulator's symbols).</summary>
    public InstrumentTable Universe { get; }
    /// <summary>The validated pattern plan: definitions mapped, legs resolved, partitioned over the workers.</summary>
    public PatternPlan Patterns { get; }
}
