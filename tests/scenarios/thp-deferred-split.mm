# The deferred split queue (mm/huge_memory.c deferred_split_folio): a huge page partly unmapped
# stays whole, its unmapped pages still allocated, and waits on its node's queue
# (thp_deferred_split_page); the deferred split shrinker splits it (drop_caches 2 runs the
# shrinkers at priority 0) and frees those pages (thp_split_page; drain_all_pages brings them from
# the per-CPU lists into MemFree). A folio unmapped whole in one
# batch is not queued; a fork's PMD gone from the parent leaves the child's part partly mapped.
machine ram=128M seed=7 aslr=off
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: p = mmap 8M rw private,anon
a: write p 8M fill=seq
free0 = /proc/meminfo:MemFree
# 4K out of the first huge page: the PMD splits, the folio is queued, nothing is freed
a: munmap p+1M 4K
expect /proc/vmstat:thp_split_pmd == 1
expect /proc/vmstat:thp_deferred_split_page == 1
expect /proc/meminfo:AnonPages == 8M-4K
expect /proc/meminfo:AnonHugePages == 6M
expect /proc/meminfo:MemFree == free0
check
verify
# the second is split into PTEs (mprotect and back: one VMA again), then unmapped whole: not queued
a: mprotect p+2M 1M r
a: mprotect p+2M 1M rw
a: munmap p+2M 2M
expect /proc/vmstat:thp_split_pmd == 2
expect /proc/vmstat:thp_deferred_split_page == 1
check
# the shrinker splits the queued folio: its unmapped page goes back to the buddy allocator
drain_all_pages
free1 = /proc/meminfo:MemFree
echo 2 > /proc/sys/vm/drop_caches
drain_all_pages
expect /proc/vmstat:thp_split_page == 1
expect /proc/meminfo:MemFree == free1 + 4K
expect /proc/meminfo:AnonPages == 6M-4K
check
verify
# the child drops 1M of a shared huge page: the parent's PMD still maps it whole, so not yet
fork a b
b: munmap p+4M 1M
expect /proc/vmstat:thp_deferred_split_page == 1
# the parent goes: only the child's PTEs map it, half of it: queued
exit a
expect /proc/vmstat:thp_deferred_split_page == 2
expect /proc/b/smaps_rollup:Rss == 2M-4K + 4M-1M
check
verify
drain_all_pages
free2 = /proc/meminfo:MemFree
echo 2 > /proc/sys/vm/drop_caches
drain_all_pages
expect /proc/vmstat:thp_split_page == 2
expect /proc/meminfo:MemFree == free2 + 1M
check
verify
exit b
expect /proc/meminfo:AnonPages == 0
check
