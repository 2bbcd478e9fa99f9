using Wirespeed.Core.Time;
using Xunit;

namespace Wirespeed.Tests.Core.Time;

/// <summary>Why a PTP clock could not be opened, in words, for each errno a machine without one can produce.</summary>
public class PtpClockReaderErrorTests
{
    [Fact]
    public void A_file_that_is_not_a_PTP_clock_is_named_as_such()
    {
        Assert.False(PtpClockReader.TryOpen("/dev/null", 37, out var reader, out string? error));
        Assert.Null(reader);
        Assert.Equal("/dev/null is not a PTP clock (EINVAL from clock_gettime on its clock id)", error);
    }

    [Fact]
    public void Any_other_errno_is_given_by_number()
    {
        Assert.False(PtpClockReader.TryOpen("/dev/null/ptp0", 37, out var reader, out string? error));   // ENOTDIR
        Assert.Null(reader);
        Assert.Equal("/dev/null/ptp0 cannot be read (errno 20)", error);
    }
}
