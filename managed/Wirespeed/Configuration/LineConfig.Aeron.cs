using System;
using System.Text.Json.Serialization;
using Wirespeed.Feeds.Aeron;

namespace Wirespeed.Configuration;

/// <summary><c>lines[].aeronPayload</c>: what the Aeron messages of a <c>transport: aeron</c> line carry.</summary>
public enum AeronPayload : byte
{
    /// <summary>One MoldUDP64 packet (ITCH messages) per Aeron message, as a UDP line receives them.</summary>
    Mold,
    /// <summary>Wirespeed's normalised 64-byte events from another Wirespeed box (read by <c>demo --aeron</c>'s box B;
    /// a feed line refuses it until the pipeline takes events without a decoder).</summary>
    Events,
}

public sealed class AeronPayloadJsonConverter() : NameJsonConverter<AeronPayload>(LineConfig.AeronPayloads);

// The Aeron keys of a feed line (issue 13), beside the UDP ones: used only with transport 'aeron'.
public sealed partial class LineConfig
{
    public static readonly NameTable<AeronPayload> AeronPayloads = new(("mold", AeronPayload.Mold), ("events", AeronPayload.Events));

    /// <summary>transport 'aeron': the channel URI to subscribe to, e.g. aeron:udp?endpoint=239.192.0.3:40456|interface=127.0.0.1. Default: empty.</summary>
    public string AeronChannel { get; set; } = "";
    /// <summary>transport 'aeron': the stream id (any int but 0). Default: 1001.</summary>
    public int AeronStreamId { get; set; } = 1001;
    /// <summary>transport 'aeron': mold (MoldUDP64 packets of ITCH) | events (Wirespeed's 64-byte events). Default: mold.</summary>
    [JsonConverter(typeof(AeronPayloadJsonConverter))]
    public AeronPayload AeronPayload { get; set; } = AeronPayload.Mold;

    /// <summary>The subscription this line's channel and stream id describe (throws ArgumentException naming the URI key).</summary>
    public AeronSubscriptionOptions ToAeronOptions() => AeronSubscriptionOptions.FromChannel(AeronChannel, AeronStreamId);
}
