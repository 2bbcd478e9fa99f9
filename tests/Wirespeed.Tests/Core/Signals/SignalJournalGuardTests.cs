using System;
using System.IO;
using Wirespeed.Core.Signals;
using Xunit;

namespace Wirespeed.Tests.Core.Signals;

public class SignalJournalGuardTests
{
    [Fact]
    public void Readers_need_bytes_or_a_stream_and_writers_a_buffer_of_at_least_one_record()
    {
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => new SignalJournalReader((byte[])null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => new SignalJournalReader((Stream)null!)).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SignalJournalWriter("/nonexistent/journal", bufferRecords: 0));
        Assert.Contains("bufferRecords=0 must be at least 1", e.Message);   // checked before the path is touched
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => new SignalJournalWriter(null!)).ParamName);
        using var empty = new SignalJournalReader(new MemoryStream());
        Assert.Equal(JournalReadStatus.End, empty.TryRead(out _));
    }
}
