using System;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Core.Memory;

/// <summary>
/// A named, fixed-size block of unmanaged memory reserved at start-up (mmap through the native shim: huge pages when
/// configured and available, pre-faulted, mlocked when configured) from which rings and pools carve their memory with
/// a bump pointer. Nothing is ever freed individually; <see cref="Dispose"/> unmaps the whole arena.
/// </summary>
/// <remarks>
/// Carving (<see cref="Allocate"/>) is start-up work on one thread. The memory itself is then shared by whichever
/// threads the rings and pools say. Every thread that uses the memory must stop before <see cref="Dispose"/>.
/// When the shim cannot be loaded (a unit-test run without build/native) the arena falls back to
/// NativeMemory.AlignedAlloc plus a zero-fill and says so in <see cref="PageReason"/>.
/// </remarks>
public sealed unsafe class Arena : IDisposable
{
    /// <summary>Largest alignment <see cref="Allocate"/> accepts: the arena base is page aligned.</summary>
    public const int MaxAlignment = 4096;

    private byte* _base;
    private readonly long _size;
    private long _offset;
    private readonly ArenaMappingHandle? _mapping;   // null on the managed-heap fallback
    private readonly MemoryRegistry _registry;
    private int _disposed;

    private Arena(string name, long size, byte* memory, ArenaMappingHandle? mapping, MemoryAccount account,
                  MemoryRegistry registry, ArenaBacking backing, bool prefaulted, bool locked, string pageReason, string lockReason)
    {
        Name = name;
        _size = size;
        _base = memory;
        _mapping = mapping;
        Account = account;
        _registry = registry;
        Backing = backing;
        IsPrefaulted = prefaulted;
        IsLocked = locked;
        PageReason = pageReason;
        LockReason = lockReason;
    }

    /// <summary>Arena name, as in summaries ("arena.hot").</summary>
    public string Name { get; }

    /// <summary>Reserved bytes (after rounding up to whole huge pages when those were asked for).</summary>
    public long SizeBytes => _size;

    /// <summary>Bytes carved so far, alignment padding included.</summary>
    public long UsedBytes => _offset;

    /// <summary>Bytes still available to carve (before alignment padding).</summary>
    public long RemainingBytes => _size - _offset;

    /// <summary>The arena's account: reserved = <see cref="SizeBytes"/>, used and high-water in bytes.</summary>
    public MemoryAccount Account { get; }

    /// <summary>What pages back the arena.</summary>
    public ArenaBacking Backing { get; }

    /// <summary>Every page was faulted in at start-up.</summary>
    public bool IsPrefaulted { get; }

    /// <summary>The arena is mlocked.</summary>
    public bool IsLocked { get; }

    /// <summary>Why the arena has the pages it has (print it at start-up), e.g. why huge pages were refused.</summary>
    public string PageReason { get; }

    /// <summary>Why the arena is or is not locked (print it at start-up).</summary>
    public string LockReason { get; }

    /// <summary>One line for the start-up log: name, size, backing and both reasons.</summary>
    public override string ToString()
        => $"arena '{Name}': {_size} bytes, {Backing}, {(IsPrefaulted ? "pre-faulted" : "not pre-faulted")}; pages: {PageReason}; lock: {LockReason}";

    /// <summary>First byte of the arena; valid until <see cref="Dispose"/>.</summary>
    public byte* BasePointer => _base;

    /// <summary>
    /// Start-up: reserves the arena and registers it with <paramref name="registry"/> (which enforces the ceiling before
    /// any memory is mapped). Throws <see cref="MemoryCeilingException"/>, <see cref="MemoryConfigException"/>, or
    /// <see cref="NativeException"/> when even normal pages cannot be mapped.
    /// </summary>
    public static Arena Create(string name, ArenaOptions options, MemoryRegistry registry)
        => Create(name, options, registry, forceManagedHeap: false);

    /// <summary>
    /// The bytes <see cref="Create(string, ArenaOptions, MemoryRegistry)"/> registers for <paramref name="options"/> (whole
    /// huge pages when it will ask for them), computed without mapping: the start-up footprint check against the ceiling.
    /// </summary>
    public static long RegisteredBytes(ArenaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long size = options.SizeBytes;
        if (options.HugePages && NativeLibraryResolver.IsAvailable(out _) && HugePageSize() is long hugePage and > 0)
            size = (size + hugePage - 1) / hugePage * hugePage;
        return size;
    }

    /// <summary>Cold path: <see cref="Create(string, ArenaOptions, MemoryRegistry)"/>; tests force the fallback.</summary>
    internal static Arena Create(string name, ArenaOptions options, MemoryRegistry registry, bool forceManagedHeap)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        options = options.Validated();

        string nativeReason = "forced by the caller (test)";
        bool native = !forceManagedHeap && NativeLibraryResolver.IsAvailable(out nativeReason);
        long size = options.SizeBytes;
        long hugePage = 0;
        if (native && options.HugePages)
        {
            hugePage = HugePageSize();
            if (hugePage > 0) size = (size + hugePage - 1) / hugePage * hugePage; // MAP_HUGETLB needs whole huge pages
        }

        MemoryAccount account = registry.Register(name, size, size);   // ceiling checked before anything is mapped
        try
        {
            return native ? MapNative(name, size, hugePage, options, account, registry)
                          : AllocManaged(name, size, account, registry, nativeReason);
        }
        catch
        {
            registry.Unregister(account);                               // undo the reservation of a failed mapping
            throw;
        }
    }

    /// <summary>
    /// Start-up: carves <paramref name="bytes"/> aligned to <paramref name="alignment"/> (a power of two up to
    /// <see cref="MaxAlignment"/>). The memory is zeroed (fresh pages) and lives as long as the arena. Throws
    /// <see cref="ArenaExhaustedException"/> naming the arena and the size it needs when the arena is too small.
    /// </summary>
    public byte* Allocate(long bytes, int alignment = 64)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (bytes < 0) ThrowHelper.Argument(nameof(bytes), $"bytes={bytes} must not be negative");
        if (alignment < 1 || alignment > MaxAlignment || !BitOperations.IsPow2(alignment))
            ThrowHelper.Argument(nameof(alignment), $"alignment={alignment} must be a power of two from 1 to {MaxAlignment}");
        long start = (_offset + alignment - 1) & ~(long)(alignment - 1);
        if (bytes > _size - start) throw new ArenaExhaustedException(Name, bytes, alignment, _offset, _size);
        _offset = start + bytes;
        Account.SetUsed(_offset);
        return _base + start;
    }

    /// <summary>Start-up: carves room for <paramref name="count"/> items of <typeparamref name="T"/>.</summary>
    public T* Allocate<T>(long count, int alignment = 64) where T : unmanaged
    {
        if (count < 0 || count > long.MaxValue / sizeof(T)) ThrowHelper.Argument(nameof(count), $"count={count} is out of range");
        return (T*)Allocate(count * sizeof(T), alignment);
    }

    /// <summary>Start-up: carves <paramref name="count"/> items of <typeparamref name="T"/> as a span (valid as long as the arena).</summary>
    public Span<T> AllocateSpan<T>(int count, int alignment = 64) where T : unmanaged
        => new(Allocate<T>(count, alignment), count);

    /// <summary>Bytes of the arena resident in RAM now (mincore), or -1 when unknown (managed fallback).</summary>
    public long ResidentBytes()
    {
        if (_mapping == null || _base == null) return -1;
        ulong resident;
        int rc = Native.SysResidentBytes(_base, (ulong)_size, &resident);
        return rc == NativeError.Ok ? (long)resident : -1;
    }

    /// <summary>Unmaps the arena. Every pointer carved from it becomes invalid: stop the threads using it first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        byte* memory = _base;
        _base = null;                                          // clear the pointer before the memory goes away
        if (_mapping != null) _mapping.Dispose();
        else if (memory != null) NativeMemory.AlignedFree(memory);
        Account.SetUsed(0);
        _registry.Unregister(Account);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Arena MapNative(string name, long size, long hugePage, ArenaOptions options, MemoryAccount account, MemoryRegistry registry)
    {
        var flags = SysMapFlags.None;
        if (options.HugePages) flags |= SysMapFlags.Huge;
        if (options.Prefault) flags |= SysMapFlags.Populate;
        if (options.Lock) flags |= SysMapFlags.Lock;

        int rc = ArenaMappingHandle.TryMap((ulong)size, flags, out ArenaMappingHandle? mapping);
        NativeError.ThrowIfFailed(rc, $"ws_sys_map_arena('{name}', {size} bytes)");
        SysMapResult got = mapping!.Result;

        ArenaBacking backing;
        string pageReason;
        if (got.HasFlag(SysMapResult.Huge))
        {
            backing = ArenaBacking.HugePages;
            pageReason = $"explicit huge pages ({hugePage >> 10} KiB, MAP_HUGETLB)";
        }
        else
        {
            backing = got.HasFlag(SysMapResult.TransparentHuge) ? ArenaBacking.TransparentHugePages : ArenaBacking.NormalPages;
            string pages = backing == ArenaBacking.TransparentHugePages
                ? "normal pages advised MADV_HUGEPAGE (transparent huge pages if the kernel grants them)"
                : "normal pages";
            pageReason = options.HugePages
                ? $"{pages}: huge pages refused, {HugeRefusalReason(got.HugeError(), size, hugePage)}"
                : $"{pages}: huge pages not asked for (HugePages=false)";
        }

        string lockReason = options.Lock
            ? got.HasFlag(SysMapResult.Locked) ? "locked (mlock)"
              : $"not locked: mlock refused with {NativeError.Describe(got.LockError())}; raise RLIMIT_MEMLOCK ('ulimit -l', LimitMEMLOCK= in the systemd unit) or grant CAP_IPC_LOCK"
            : "not locked: not asked for (Lock=false)";

        return new Arena(name, size, mapping.Pointer, mapping, account, registry, backing,
                         got.HasFlag(SysMapResult.Populated), got.HasFlag(SysMapResult.Locked), pageReason, lockReason);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Arena AllocManaged(string name, long size, MemoryAccount account, MemoryRegistry registry, string nativeReason)
    {
        var memory = (byte*)NativeMemory.AlignedAlloc((nuint)size, MaxAlignment);
        NativeMemory.Clear(memory, (nuint)size);               // zero-fill: same contents as fresh pages, and faults them in
        const string why = "managed-heap fallback (NativeMemory.AlignedAlloc, zero-filled, no huge pages, not locked; " +
                           "for tests and tools only, not for production): ";
        return new Arena(name, size, memory, null, account, registry, ArenaBacking.ManagedHeap, prefaulted: true, locked: false,
                         why + nativeReason, "not locked: managed-heap fallback (native shim missing)");
    }

    private static long HugePageSize()
    {
        ulong bytes;
        return Native.SysHugePageSize(&bytes) == NativeError.Ok ? (long)bytes : 0;
    }

    private static string HugeRefusalReason(int code, long size, long hugePage)
    {
        if (hugePage <= 0) return "the kernel reports no huge page size (Hugepagesize missing from /proc/meminfo)";
        if (code == NativeError.OutOfMemory)
        {
            long needed = size / hugePage;
            return $"{NativeError.Describe(code)}: vm.nr_hugepages={ReadNrHugepages()} (free pages too few for {needed} x {hugePage >> 10} KiB); " +
                   $"reserve them with 'sysctl -w vm.nr_hugepages={needed}' or add to the kernel command line 'hugepages={needed}'";
        }
        if (code == NativeError.PermissionDenied)
            return $"{NativeError.Describe(code)}: the process may not use huge pages (check vm.hugetlb_shm_group or run with CAP_IPC_LOCK)";
        return NativeError.Describe(code);
    }

    private static string ReadNrHugepages()
    {
        try { return File.ReadAllText("/proc/sys/vm/nr_hugepages").Trim(); }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }
}
