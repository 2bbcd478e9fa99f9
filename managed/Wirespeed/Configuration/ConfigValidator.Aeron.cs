using Wirespeed.Feeds.Aeron;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

public static partial class ConfigValidator
{
    /// <summary>A line's Aeron keys (issue 13): with transport 'aeron' the channel must parse, the stream id must not be 0,
    /// and the payload must be one a feed line can decode; without it, no Aeron key may be set (it would be ignored).</summary>
    internal static void ValidateAeronLine(LineConfig l, string p)
    {
        NotNull(l.AeronChannel, p + ".aeronChannel");
        Known(l.AeronPayload, LineConfig.AeronPayloads, p + ".aeronPayload");
        if (l.Transport != TransportKind.Aeron)
        {
            Require(l.AeronChannel.Length == 0, p + ".aeronChannel", $"is set but lines[].transport is '{TransportNames.Of(l.Transport)}'; set \"transport\": \"aeron\" to receive the line over Aeron, or remove aeronChannel.");
            return;
        }
        Require(AeronChannel.TryParse(l.AeronChannel, out _, out string? error), p + ".aeronChannel", error + ".");
        Require(l.AeronStreamId != 0, p + ".aeronStreamId", "0 is reserved by Aeron; use any other int, e.g. 1001.");
        Require(l.AeronPayload == AeronPayload.Mold, p + ".aeronPayload",
            "'events' is not yet taken by a feed line (its pipeline starts at the ITCH decoder); use 'mold', or read events with ./ws demo --aeron's box B.");
        Library(p, l.ToAeronOptions().Validated);
    }
}
