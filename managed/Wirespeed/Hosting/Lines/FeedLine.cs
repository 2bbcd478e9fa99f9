using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Hosting.Lines;

/// <summary>One received feed line: its configuration, its books and its decoder (MoldUDP64 session, sequencing, counters).</summary>
public sealed record FeedLine(LineConfig Config, OrderBookSet Books, ItchFeedDecoder Decoder);
