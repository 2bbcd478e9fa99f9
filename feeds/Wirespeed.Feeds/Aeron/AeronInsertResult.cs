namespace Wirespeed.Feeds.Aeron;

/// <summary>What <see cref="AeronImage.Insert"/> did with one DATA, PAD or heartbeat frame (§B.9).</summary>
public enum AeronInsertResult : byte
{
    Inserted,
    Heartbeat,
    /// <summary>Already consumed or already present.</summary>
    Duplicate,
    /// <summary>Beyond the last SM position + term length / 2.</summary>
    OverRun,
    /// <summary>Term id before the initial term, misaligned offset, or a frame that crosses its term.</summary>
    BadPosition,
}
