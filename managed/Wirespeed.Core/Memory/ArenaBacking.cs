namespace Wirespeed.Core.Memory;

/// <summary>What memory an arena actually got; <see cref="Arena.PageReason"/> says why.</summary>
public enum ArenaBacking : byte
{
    /// <summary>Explicit huge pages (MAP_HUGETLB): fewest TLB misses.</summary>
    HugePages,
    /// <summary>Normal pages advised MADV_HUGEPAGE: the kernel may back them with transparent huge pages.</summary>
    TransparentHugePages,
    /// <summary>Normal pages from mmap.</summary>
    NormalPages,
    /// <summary>The native shim is missing: NativeMemory.AlignedAlloc, zero-filled, never locked. For tests and tools only.</summary>
    ManagedHeap,
}
