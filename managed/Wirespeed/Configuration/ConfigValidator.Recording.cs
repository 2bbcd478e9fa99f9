namespace Wirespeed.Configuration;

public static partial class ConfigValidator
{
    /// <summary>The recording section: the library's rules (checked even while recording is off, so a bad value never waits for --record).</summary>
    private static void ValidateRecording(WirespeedConfig c)
    {
        var r = c.Recording;
        Require(r is not null, "recording", "section is null; remove it or write { }.");
        NotNull(r!.Directory, "recording.directory");
        var options = r.ToOptions() with { Directory = r.Directory.Length == 0 ? "(off)" : r.Directory };
        Library("recording", options.Validated);
        Require(r.Cpu < System.Environment.ProcessorCount, "recording.cpu",
            $"{r.Cpu}: this machine has {System.Environment.ProcessorCount} CPUs (0-{System.Environment.ProcessorCount - 1}); use one of them or -1 for no pinning.");
    }
}
