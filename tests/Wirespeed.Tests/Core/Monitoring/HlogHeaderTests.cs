using System.IO;
using Wirespeed.Commands;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

public class HlogHeaderTests
{
    [Theory]
    [InlineData("#[StartTime: x (seconds since epoch)]")]
    [InlineData("#[BaseTime: . (seconds since epoch)]")]
    public void A_malformed_header_is_reported_as_bad_data_with_its_line(string header)
    {
        string f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, "#[Histogram log format version 1.3]\n" + header + "\n");
            var e = Assert.Throws<InvalidDataException>(() => HlogReader.ReadFile(f));
            Assert.Contains("line 2: bad header", e.Message);
            var output = new StringWriter();
            Assert.Equal(1, HdrCommand.Run(f, output, null));
        }
        finally { File.Delete(f); }
    }
}
