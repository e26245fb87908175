# munmap of a PTE-mapped mlocked huge page (mm/memory.c zap_present_folio_ptes, mm/rmap.c
# folio_remove_rmap_ptes, mm/mlock.c munlock_folio): the PTEs of one folio are zapped as one batch,
# which munlocks the folio once - one locked VMA less in its mlock_count - not once per PTE. Two
# processes lock the same PTE-mapped huge page (mlock_count 2); the first to unmap it leaves it
# locked for the other, and only the second's exit munlocks it.
machine ram=256M seed=1
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: p = mmap 4M rw private,anon
a: munmap p 4M
a: s = mmap 2M rw private,anon,fixed addr=(p + 2M - 1) / 2M * 2M
a: write s 2M fill=seq
expect /proc/meminfo:AnonHugePages == 2M
# split the PMD, not the folio: mprotect of one page and back; then read-only, so that the
# child's mlock populates without copy-on-write
a: r = mprotect s 4K r
a: r = mprotect s 4K rw
a: r = mprotect s 2M r
expect /proc/meminfo:AnonHugePages == 0
expect /proc/a/smaps_rollup:Anonymous == 2M
a: r = mlock s 2M
expect /proc/meminfo:Mlocked == 2M
fork a b
b: r = mlock s 2M
expect r == 0
expect /proc/meminfo:Mlocked == 2M
expect /proc/vmstat:unevictable_pgs_mlocked == 512
check
# a unmaps: b's lock holds the folio on the unevictable list
a: munmap s 2M
expect /proc/meminfo:Mlocked == 2M
expect /proc/meminfo:Unevictable == 2M
expect /proc/vmstat:unevictable_pgs_munlocked == 0
expect /proc/vmstat:unevictable_pgs_rescued == 0
check
verify
# b's exit takes the last lock: munlocked and rescued once, 512 pages
exit b
expect /proc/meminfo:Mlocked == 0
expect /proc/meminfo:Unevictable == 0
expect /proc/vmstat:unevictable_pgs_munlocked == 512
expect /proc/vmstat:unevictable_pgs_rescued == 512
check
