using System;
using System.Globalization;
using System.IO;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Recording;

/// <summary>
/// The compliance recorder: a ring of pre-allocated slots fed by the ingress tap (<see cref="Tap"/>), and a thread of
/// its own that drains it into the journal (<see cref="JournalWriter"/>). Every file operation happens on that thread.
/// </summary>
/// <remarks>
/// <para>The ring absorbs bursts and disk stalls. When it fills, the overflow policy applies at the tap, and the
/// recorder says so once a second at most: <c>wirespeed alert kind=recording_overflow dropped=N …</c>.</para>
/// <para>A failing disk (ENOSPC, EIO …) disables recording: the first failed write closes the journal, raises
/// <c>wirespeed alert kind=recording_failed …</c> once, and from then on the tap records nothing and never waits, and
/// the thread empties the ring without writing (counted). The feed goes on.</para>
/// </remarks>
public sealed class JournalRecorder : IDisposable
{
    private const int PollLimit = 256;

    private readonly RecordingOptions _options;
    private readonly Arena _arena;
    private readonly SpscSlotRing _ring;
    private readonly JournalWriter _writer;
    private readonly TextWriter? _alerts;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _highWater, _lost, _failures, _startNs, _stopNs;
    private long _alertedDropped;
    private long _lastOverflowAlertNs = long.MinValue / 2;   // far from MinValue: now minus it cannot overflow
    private volatile bool _failed;

    /// <param name="options">Validated options.</param>
    /// <param name="maxDatagramBytes">Largest datagram the lines deliver (a slot holds one, with its header).</param>
    /// <param name="headerFor">Makes the header of segment n started at (realtime ns, monotonic ns): line table and configuration digest.</param>
    /// <param name="arenaOptions">How the ring's memory is reserved (huge pages, lock, prefault); its size is set here.</param>
    /// <param name="registry">Accounts the ring's memory.</param>
    /// <param name="alerts">Where alerts go. Default: standard error.</param>
    /// <exception cref="IOException">The directory cannot be used (message names it and the fix).</exception>
    public JournalRecorder(RecordingOptions options, int maxDatagramBytes, Func<uint, long, long, SegmentHeader> headerFor,
                           ArenaOptions arenaOptions, MemoryRegistry registry, TextWriter? alerts = null)
    {
        _options = options.Validated();
        if (maxDatagramBytes < 1 || maxDatagramBytes > JournalLayout.MaxPayload)
            throw new ArgumentOutOfRangeException(nameof(maxDatagramBytes), maxDatagramBytes, $"1 to {JournalLayout.MaxPayload}");
        _alerts = alerts;
        int slotBytes = SlotBytes(maxDatagramBytes);
        _writer = new JournalWriter(options, headerFor);   // repairs the last run's tail first
        _arena = Arena.Create("arena.recording", arenaOptions with { SizeBytes = RingBytes(options.RingSlots, maxDatagramBytes) + Arena.MaxAlignment }, registry);
        unsafe { _ring = new SpscSlotRing(_arena.Allocate(SpscSlotRing.RequiredBytes(options.RingSlots, slotBytes), 64), options.RingSlots, slotBytes); }
        Tap = new RecorderTap(_ring, options.Overflow);
        _thread = new Thread(Run) { Name = "ws-recorder", IsBackground = true };
    }

    /// <summary>Bytes of one ring slot: a record header and the largest datagram, rounded up to whole cache lines.</summary>
    public static int SlotBytes(int maxDatagramBytes) => (JournalLayout.RecordHeaderSize + maxDatagramBytes + 63) / 64 * 64;

    /// <summary>Bytes of the ring's slots (what start-up reserves, less the arena's alignment): the memory footprint counts it.</summary>
    public static long RingBytes(int ringSlots, int maxDatagramBytes) => SpscSlotRing.RequiredBytes(ringSlots, SlotBytes(maxDatagramBytes));

    /// <summary>The ingress side: given to the receiving worker's decoder (<see cref="RecordingDecoder{TDecoder}"/>).</summary>
    public RecorderTap Tap { get; }
    public RecordingOptions Options => _options;
    public JournalWriter Writer => _writer;
    /// <summary>Most slots in use at once, as the recorder thread saw it.</summary>
    public long RingHighWater => Volatile.Read(ref _highWater);
    public int RingSlots => _ring.Capacity;
    /// <summary>The ring itself (benchmarks drain it without the thread).</summary>
    internal SpscSlotRing Ring => _ring;
    /// <summary>True once a write failed: recording is off for the rest of the run.</summary>
    public bool Failed => _failed;
    /// <summary>Records taken from the ring that never reached a file (buffered at the failure, or taken after it).</summary>
    public long LostRecords => Volatile.Read(ref _lost);
    public long Failures => Volatile.Read(ref _failures);
    /// <summary>errno of the failure (28 = ENOSPC); 0 when none.</summary>
    public int Errno { get; private set; }
    public string? FailureCause { get; private set; }

    public void Start()
    {
        _startNs = MonoClock.NowNs();
        _thread.Start();
    }

    /// <summary>How the recorder thread was pinned (<see cref="RecordingOptions.Cpu"/>); null until it has started.</summary>
    public Agents.PinReport? Pin { get; private set; }

    private void Run()
    {
        Pin = Agents.Worker.PinCurrentThread(_options.Cpu);   // cold: once, on the thread itself
        var drain = new Drain(this);
        int idleTicks = 0;
        while (true)
        {
            bool stopping = _stopping;                    // read before the poll: what was published before Stop is drained
            long depth = _ring.Count;
            if (depth > _highWater) Volatile.Write(ref _highWater, depth);
            drain.NowNs = MonoClock.NowNs();
            int n = _ring.Poll(ref drain, PollLimit);
            if (n == 0 || ++idleTicks >= 16)
            {
                idleTicks = 0;
                Tick(drain.NowNs);
            }
            if (n == 0)
            {
                if (stopping) break;
                Thread.Sleep(1);                          // a recorder never spins: the ring holds what arrives meanwhile
            }
        }
        Close();
        _stopNs = MonoClock.NowNs();
    }

    private void Tick(long nowNs)
    {
        if (!_failed)
        {
            try { _writer.Tick(nowNs); }
            catch (Exception e) when (IsWriteFailure(e)) { Fail(e); }
        }
        long dropped = Tap.Dropped;
        if (dropped != _alertedDropped && nowNs - _lastOverflowAlertNs >= 1_000_000_000 && !_failed)
        {
            _lastOverflowAlertNs = nowNs;
            Alert(string.Create(CultureInfo.InvariantCulture,
                $"wirespeed alert kind=recording_overflow dropped={dropped} new={dropped - _alertedDropped} ring_slots={_ring.Capacity} policy={(_options.Overflow == RecordingOverflow.Block ? "block" : "drop-and-count")} dir={OneWord(_options.Directory)}"));
            _alertedDropped = dropped;
        }
    }

    private void Append(Span<byte> slot, long nowNs)
    {
        if (_failed)
        {
            _lost++;
            return;
        }
        try { _writer.Append(slot, nowNs); }
        catch (Exception e) when (IsWriteFailure(e)) { Fail(e); _lost++; }
    }

    private void Close()
    {
        if (_failed) return;
        try { _writer.Dispose(); }
        catch (Exception e) when (IsWriteFailure(e)) { Fail(e); }
    }

    private static bool IsWriteFailure(Exception e) => e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException;

    private void Fail(Exception e)
    {
        _failed = true;
        Tap.Disable();
        _failures++;
        long unsynced = _writer.Records - _writer.DurableRecords;
        _writer.Abandon();
        Errno = e is IOException && e.HResult is > 0 and < 4096 ? e.HResult : 0;   // Linux: the raw errno
        FailureCause = e.Message;
        Alert(string.Create(CultureInfo.InvariantCulture,
            $"wirespeed alert kind=recording_failed dir={OneWord(_options.Directory)} errno={Errno} error={OneWord(e.Message)} records_written={_writer.Records} records_not_synced={unsynced}: recording is off for the rest of the run; the feed goes on"));
    }

    private void Alert(string line)
    {
        var output = _alerts ?? Console.Error;
        try
        {
            output.WriteLine(line);
            output.Flush();
        }
        catch (IOException) { }   // standard error gone too: the counters still tell
    }

    private static string OneWord(string value)
    {
        var chars = value.ToCharArray();
        for (int i = 0; i < chars.Length; i++) if (char.IsWhiteSpace(chars[i]) || chars[i] == '=') chars[i] = '_';
        return new string(chars);
    }

    /// <summary>After the receiving worker stopped: drains the ring, closes the segment (synced), joins the thread.</summary>
    public void Stop()
    {
        if (!_thread.IsAlive) return;
        _stopping = true;
        _thread.Join();
    }

    /// <summary>Figures for the summary (after <see cref="Stop"/>).</summary>
    public RecordingFigures Figures()
    {
        long ns = (_stopNs > 0 ? _stopNs : MonoClock.NowNs()) - _startNs;
        return new RecordingFigures(_writer.Records, _writer.Bytes, ns > 0 ? _writer.Bytes / (ns / 1e9) / 1e6 : 0,
            RingHighWater, _ring.Capacity, Tap.Dropped, Tap.BlockedWaits, Tap.Truncated, _writer.Segments, _writer.Fsyncs,
            _writer.DurableRecords, Failures, LostRecords, _writer.RepairedBytes, _writer.DeletedSegments);
    }

    public void Dispose()
    {
        Stop();
        _arena.Dispose();
    }

    /// <summary>The ring's consumer: each slot is a record image.</summary>
    private struct Drain(JournalRecorder owner) : ISlotHandler
    {
        public long NowNs;
        public readonly void OnSlot(Span<byte> slot) => owner.Append(slot, NowNs);
    }
}

/// <summary>The recorder's figures for the run summary.</summary>
public readonly record struct RecordingFigures(long Records, long Bytes, double MegabytesPerSecond, long RingHighWater, int RingSlots,
    long DroppedByOverflow, long BlockedWaits, long Truncated, long Segments, long Fsyncs, long DurableRecords, long Failures,
    long LostRecords, long RepairedBytes, long DeletedSegments);
