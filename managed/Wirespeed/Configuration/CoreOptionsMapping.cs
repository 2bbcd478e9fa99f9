using Wirespeed.Core.Books;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

// The configuration convention, in one place: a section whose JSON shape is the library's own options binds to them
// directly (priority → PriorityOptions, breakers → BreakerOptions); a section that gathers several libraries' settings
// (a line is a socket, a MoldUDP64 session and a transport) or names things differently (books.maxOrders is
// BookOptions.MaxLiveOrders) has a configuration class that maps onto the library's options: lines and books through
// the methods below, patterns through PatternConfigMapper (symbols resolved to instruments, the plan), the pipeline
// through PipelinePlan (idle strategies and pinning decided for this machine). Where a library has a Validated(), it
// is the rule: ConfigValidator calls it on the mapped options for every command (check-config, run, reload) and adds
// only what the library cannot know (names, cross-section limits, the host); the builders use these same mappings, so
// what was validated is what runs.

public sealed partial class LineConfig
{
    /// <summary>The line's socket: group, port, interface, receive buffer, datagram size, line id.</summary>
    public UdpOptions ToUdpOptions() => new()
    {
        Group = Group, Port = Port, Interface = Interface, ReceiveBufferBytes = ReceiveBufferBytes,
        LineId = (byte)Id, MaxDatagramBytes = MaxDatagramBytes,
    };

    /// <summary>The line's MoldUDP64 sequencing: a configured session is enforced; none adopts the first seen.</summary>
    public MoldSessionOptions ToSessionOptions() => new() { InitialSequence = 0, ExpectedSession = Session };
}

public sealed partial class BookConfig
{
    /// <summary>The books of one line; <paramref name="name"/> prefixes their memory accounts (e.g. "book.A").</summary>
    public BookOptions ToOptions(string name) => new()
    {
        MaxInstruments = MaxInstruments, MaxLiveOrders = MaxOrders, MaxLevelsPerSide = MaxLevelsPerSide, Name = name,
    };
}
