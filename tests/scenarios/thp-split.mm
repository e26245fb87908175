# Splitting a huge PMD (mm/huge_memory.c __split_huge_pmd): munmap, mprotect, MADV_DONTNEED and
# mremap of part of a PMD-mapped huge page turn its PMD into the page table deposited for it, 512
# PTEs mapping the same pages (thp_split_pmd); the folio stays whole until nothing maps it. Every
# byte is still there; moving a whole aligned PMD moves the entry without a split.
machine ram=128M seed=7 aslr=off
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: p = mmap 16M rw private,anon
a: write p 16M fill=seq
expect /proc/meminfo:AnonHugePages == 16M
expect /proc/vmstat:thp_fault_alloc == 8
# munmap of 4K inside the first huge page
a: munmap p+1M 4K
expect /proc/vmstat:thp_split_pmd == 1
expect /proc/meminfo:AnonHugePages == 14M
expect /proc/a/status:RssAnon == 16M-4K
pagewalk a p+1M+4K
check
verify
# mprotect of a range across two huge pages: a split at each end
a: mprotect p+3M 2M r
expect /proc/vmstat:thp_split_pmd == 3
expect /proc/meminfo:AnonHugePages == 10M
check
verify
# the read-only part faults; a dies, its huge pages and split tables are freed
expect signal SIGSEGV a: store p+4M 1 1
spawn b
b: q = mmap 8M rw private,anon
b: write q 8M fill=seq
b: mprotect q 1M r
b: mprotect q 1M rw
b: store q+8 0x41 1
b: x = load q+8 1
expect x == 0x41
# MADV_DONTNEED of part of a huge page zaps only that part
b: madvise q+2M+64K 64K dontneed
b: y = load q+2M+64K
expect y == 0
expect /proc/b/status:RssAnon == 8M-64K
check
verify
# mremap: a whole aligned PMD moves as one entry; a move to an unaligned place splits first
b: n = mremap q+4M 2M 2M maymove
expect n / 2M * 2M == n
expect /proc/vmstat:thp_split_pmd == 5
b: u = mremap q+6M 2M 2M maymove,fixed addr=q+4M-4K
expect u == q+4M-4K
# two splits: the huge page below, whose last 4K the fixed target unmaps, and the one moved
expect /proc/vmstat:thp_split_pmd == 7
check
verify
exit b
expect /proc/meminfo:AnonPages == 0
expect /proc/meminfo:PageTables == 0
check
