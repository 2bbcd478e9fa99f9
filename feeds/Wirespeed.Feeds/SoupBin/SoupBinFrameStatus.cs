namespace Wirespeed.Feeds.SoupBin;

/// <summary>What <see cref="SoupBinFramer.Feed{THandler}"/> found in the bytes it was given.</summary>
public enum SoupBinFrameStatus : byte
{
    /// <summary>Every byte was framed; a trailing fragment, if any, waits for the next segment.</summary>
    Ok,
    /// <summary>A length prefix of zero: not even a type byte. Framing of the stream is lost.</summary>
    ZeroLength,
    /// <summary>A length prefix above the configured maximum. Framing of the stream is lost.</summary>
    Oversized,
    /// <summary>The framer lost framing earlier and accepts nothing until <see cref="SoupBinFramer.Reset"/>.</summary>
    Broken,
}
