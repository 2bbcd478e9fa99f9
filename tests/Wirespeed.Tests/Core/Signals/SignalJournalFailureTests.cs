using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Core.Signals;
using Xunit;

namespace Wirespeed.Tests.Core.Signals;

/// <summary>A journal whose disk fails disables itself, counts and alerts once; the caller never sees an exception.</summary>
public sealed class SignalJournalFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-journal-fail").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Accepts <c>capacity</c> bytes, then fails every write with EIO, as a dying disk does.</summary>
    private sealed class FailingStream(int capacity, bool failFlush = false) : Stream
    {
        public readonly MemoryStream Written = new();
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Written.Length + count > capacity) throw new IOException("Input/output error", 5);
            Written.Write(buffer, offset, count);
        }
        public override void Flush() { if (failFlush) throw new IOException("Input/output error", 5); }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written.Length;
        public override long Position { get => Written.Length; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Collects alert lines written from another thread (TextWriter.Synchronized locks on itself, as this does).</summary>
    internal sealed class AlertLines : StringWriter
    {
        public override void WriteLine(string? value) { lock (this) base.WriteLine(value); }

        /// <summary>The alert is written by a pool thread (the failing worker never waits on standard error): waits up to 5 s for it.</summary>
        public string Wait()
        {
            var clock = Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 5000)
            {
                lock (this) if (GetStringBuilder().Length > 0) break;
                Thread.Sleep(5);
            }
            lock (this) return ToString();
        }
    }

    [Fact]
    public void A_journal_on_a_full_disk_disables_itself_counts_what_it_lost_and_alerts_once()
    {
        var alerts = new AlertLines();
        using var w = new SignalJournalWriter("/dev/full", bufferRecords: 2, alerts);
        for (int i = 0; i < 5; i++) w.Append(SignalJournalTests.Make(i));   // the 3rd append writes the buffer: ENOSPC
        w.Flush();
        Assert.True(w.Failed);
        Assert.Equal(28, w.Errno);   // ENOSPC
        Assert.Equal(1, w.FailedWrites);
        Assert.Equal(0, w.Records);
        Assert.Equal(5, w.LostRecords);
        Assert.Equal(5 * SignalJournal.RecordSize, w.LostBytes);
        Assert.Contains("No space left on device", w.FailureCause);
        string[] lines = alerts.Wait().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines);
        Assert.StartsWith("wirespeed alert kind=journal_failed path=/dev/full errno=28 error=No_space_left_on_device", line);
        Assert.EndsWith("records_lost=2 records_written=0", line);
    }

    [Fact]
    public void A_write_error_mid_run_keeps_what_was_written_and_counts_the_rest()
    {
        var stream = new FailingStream(capacity: 3 * SignalJournal.RecordSize);
        var alerts = new AlertLines();
        var w = new SignalJournalWriter(stream, "disk", bufferRecords: 3, alerts);
        var sink = new JournalSignalSink(w);
        for (int i = 0; i < 10; i++) sink.OnSignal(SignalJournalTests.Make(i));   // never throws into the caller
        w.Dispose();
        Assert.True(w.Failed);
        Assert.Equal(5, w.Errno);   // EIO
        Assert.Equal(3, w.Records);
        Assert.Equal(7, w.LostRecords);
        Assert.Equal(3 * SignalJournal.RecordSize, stream.Written.Length);
        var r = new SignalJournalReader(stream.Written.ToArray());
        Assert.Equal(JournalReadStatus.Ok, r.TryRead(out var first));
        Assert.Equal(SignalJournalTests.Make(0), first);
        Assert.Contains("kind=journal_failed path=disk errno=5 error=Input/output_error records_lost=3 records_written=3", alerts.Wait());
    }

    /// <summary>
    /// Standard error as a full pipe: every write waits until the gate opens (2 s at most, so a regression fails rather
    /// than hangs), then says it wrote.
    /// </summary>
    private sealed class BlockedOutput(ManualResetEventSlim gate, ManualResetEventSlim written) : StringWriter
    {
        public override void WriteLine(string? value) { gate.Wait(TimeSpan.FromSeconds(2)); base.WriteLine(value); written.Set(); }
    }

    [Fact]
    public void A_blocked_alert_output_never_holds_up_the_failing_worker()
    {
        using var gate = new ManualResetEventSlim(false);
        using var written = new ManualResetEventSlim(false);
        var output = new BlockedOutput(gate, written);
        var w = new SignalJournalWriter(new FailingStream(capacity: 0), "disk", bufferRecords: 1, output);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++) w.Append(SignalJournalTests.Make(i));   // the 2nd append's write fails and raises the alert
        long ms = clock.ElapsedMilliseconds;
        gate.Set();
        Assert.True(w.Failed);
        Assert.True(ms < 1000, $"the failing appends took {ms} ms: they waited on the alert's output");
        // The pool thread may not have run yet (a slow or instrumented run): the events it waits on are disposed only
        // after it wrote, or it would wait on a disposed event after the test ended.
        Assert.True(written.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), "the alert was never written");
        Assert.Contains("kind=journal_failed path=disk", output.ToString());
    }

    /// <summary>A writer already disposed when the pool thread comes to write the alert.</summary>
    [Fact]
    public void An_alert_output_disposed_before_the_pool_thread_writes_is_not_an_unhandled_exception()
    {
        var output = new StringWriter();
        output.Dispose();
        Assert.Throws<ObjectDisposedException>(() => output.WriteLine("x"));   // what the pool thread would meet
        SignalJournalWriter.WriteAlert(output, "wirespeed alert kind=journal_failed");   // must not throw: it would end the process
    }

    /// <summary>Standard error gone: IOException from the alert output is swallowed too, the counters still tell.</summary>
    [Fact]
    public void An_alert_output_that_fails_with_an_io_error_is_ignored()
    {
        var failing = new StreamWriter(new FailingStream(capacity: 0)) { AutoFlush = false };
        Assert.Throws<IOException>(() => { failing.WriteLine("x"); failing.Flush(); });
        SignalJournalWriter.WriteAlert(failing, "wirespeed alert kind=journal_failed");
    }

    /// <summary>A stream whose writes throw <c>onWrite</c> (null: accepted) and whose close throws <c>onClose</c>, as close(2) may report EIO on a network file system.</summary>
    private sealed class ThrowingStream(Exception? onWrite, Exception? onClose) : Stream
    {
        public int Written;
        public override void Write(byte[] buffer, int offset, int count) { if (onWrite != null) throw onWrite; Written += count; }
        public override void Flush() { }
        protected override void Dispose(bool disposing) { if (disposing && onClose != null) throw onClose; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void A_close_that_fails_disables_the_journal_once_and_never_throws()
    {
        var alerts = new AlertLines();
        var w = new SignalJournalWriter(new ThrowingStream(null, new IOException("Input/output error", 5)), "nfs", bufferRecords: 4, alerts);
        w.Append(SignalJournalTests.Make(1));
        w.Dispose();
        Assert.True(w.Failed);
        Assert.Equal(1, w.FailedWrites);
        Assert.Equal(5, w.Errno);
        Assert.Equal(1, w.Records);   // written before the close failed
        Assert.Contains("kind=journal_failed path=nfs errno=5", alerts.Wait());
    }

    [Fact]
    public void A_close_that_fails_after_a_write_failed_is_not_counted_twice()
    {
        var w = new SignalJournalWriter(new ThrowingStream(new UnauthorizedAccessException("Permission denied"), new IOException("Input/output error", 5)), "ro", bufferRecords: 1, new AlertLines());
        w.Append(SignalJournalTests.Make(1));
        w.Append(SignalJournalTests.Make(2));   // the buffer is full: the write fails with EPERM, not an IOException
        w.Dispose();
        Assert.True(w.Failed);
        Assert.Equal(1, w.FailedWrites);
        Assert.Equal(0, w.Errno);   // no errno travels with an UnauthorizedAccessException
        Assert.Equal("Permission denied", w.FailureCause);
    }

    [Fact]
    public void A_flush_that_fails_at_stop_disables_the_journal_without_throwing()
    {
        var stream = new FailingStream(capacity: 1 << 20, failFlush: true);
        var w = new SignalJournalWriter(stream, "disk", bufferRecords: 4, new StringWriter());
        w.Append(SignalJournalTests.Make(1));
        w.Flush();
        w.Dispose();
        Assert.True(w.Failed);
        Assert.Equal(1, w.FailedWrites);
        Assert.Equal(0, w.LostRecords);   // the record reached the OS before the flush failed
    }

    [Fact]
    public void Appending_allocates_nothing_whether_the_journal_works_or_has_failed()
    {
        using var healthy = new SignalJournalWriter(Path.Combine(_dir, "ok.wsj"), bufferRecords: 64, new StringWriter());
        using var failed = new SignalJournalWriter("/dev/full", bufferRecords: 1, new StringWriter());
        var s = SignalJournalTests.Make(3);
        for (int i = 0; i < 200; i++) { healthy.Append(in s); failed.Append(in s); }   // warm: the failure and its alert happen here
        Assert.True(failed.Failed);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) { healthy.Append(in s); failed.Append(in s); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_200, failed.LostRecords);
    }

    [Fact]
    public async Task A_fifo_is_refused_up_front_instead_of_blocking_the_open()
    {
        string fifo = Path.Combine(_dir, "pipe");
        using (var p = Process.Start("mkfifo", [fifo])) await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        var open = Task.Run(() => Assert.Throws<IOException>(() => new SignalJournalWriter(fifo)));
        var done = await Task.WhenAny(open, Task.Delay(5000, TestContext.Current.CancellationToken));
        Assert.Same(open, done);
        Assert.Contains($"signal journal '{fifo}': is a fifo, not a file", (await open).Message);
    }

    [Fact]
    public void A_directory_is_refused_with_its_name()
    {
        var e = Assert.Throws<IOException>(() => new SignalJournalWriter(_dir));
        Assert.Contains($"signal journal '{_dir}': is a directory, not a file", e.Message);
    }
}
