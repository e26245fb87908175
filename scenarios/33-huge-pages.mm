# Lesson: huge pages (seed 3.1): one PMD entry mapping 2 MiB instead of a table of 512 PTEs. Two
# ways to get them: hugetlb pools, set aside in advance and asked for with MAP_HUGETLB, and
# transparent huge pages, which the kernel gives ordinary anonymous memory on its own, splits
# when part of one goes (the deferred split queue) and collapses back from small pages (khugepaged).

machine ram=256M seed=33 aslr=off
echo "== Why: fewer TLB entries, shorter walks =="
echo "A 4 KiB page needs a PTE, and the TLB one entry per 4 KiB. A PMD entry with the PSE bit maps"
echo "2 MiB at once: the walk stops one level early, and one TLB entry covers 512 pages."
spawn a
a: small = mmap 2M rw private,anon
a: write small 2M fill=seq
pagewalk a small

echo ""
echo "== hugetlb: a pool set aside in advance =="
echo "vm.nr_hugepages takes 2 MiB pages out of the buddy allocator into a pool; nothing else can use"
echo "them, whether or not a program ever maps them."
sysctl vm.nr_hugepages=4
expect /proc/meminfo:HugePages_Total == 4
expect /proc/meminfo:Hugetlb == 8M
echo "MAP_HUGETLB maps from the pool; the pages are reserved at mmap (HugePages_Rsvd) so that the"
echo "faults later cannot fail, and taken from the pool at the first touch."
a: h = mmap 4M rw private,anon,hugetlb
expect /proc/meminfo:HugePages_Rsvd == 2
a: write h 4M fill=seq
expect /proc/meminfo:HugePages_Free == 2
expect /proc/meminfo:HugePages_Rsvd == 0
pagewalk a h
echo "A hugetlb mapping cannot be cut inside a huge page:"
a: r = munmap h+4K 4K
echo "munmap of one 4 KiB page inside it returns" r "(-EINVAL = -22)"
expect r == -EINVAL
a: munmap h 4M
expect /proc/meminfo:HugePages_Free == 4
sysctl vm.nr_hugepages=0

echo ""
echo "== Transparent huge pages: no pool, no special mapping =="
echo "/sys/kernel/mm/transparent_hugepage/enabled says when an ordinary anonymous fault may get a"
echo "huge page: always, only in ranges given MADV_HUGEPAGE (madvise, the default here), or never."
cat /sys/kernel/mm/transparent_hugepage/enabled
echo "A mapping whose length is a multiple of 2 MiB is placed on a 2 MiB boundary, so that it can."
a: buf = mmap 8M rw private,anon
expect buf / 2M * 2M == buf
a: madvise buf 4M hugepage
a: write buf 8M fill=seq
echo "The advised half got two huge pages, the other half 1024 small ones:"
expect /proc/meminfo:AnonHugePages == 4M
expect /proc/vmstat:thp_fault_alloc == 2
pagewalk a buf
pagewalk a buf+4M
echo "smaps shows them per mapping: AnonHugePages, and THPeligible where a fault could get one."
cat /proc/a/smaps_rollup
echo "With enabled=always every anonymous mapping qualifies. A read fault maps the huge zero page:"
echo "one shared 2 MiB page of zeros, read-only; the first write replaces it with a real huge page."
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
a: z = mmap 2M rw private,anon
a: v = load z
expect v == 0
expect /proc/vmstat:thp_zero_page_alloc == 1
echo "after the read: thp_zero_page_alloc =" /proc/vmstat:thp_zero_page_alloc "and AnonHugePages is still" /proc/meminfo:AnonHugePages / 1K "kB: the zero page is no one's memory"
a: store z 1 1
expect /proc/meminfo:AnonHugePages == 6M

echo ""
echo "== Splitting: when part of a huge page changes =="
echo "mprotect, munmap or MADV_DONTNEED of part of a huge page cannot keep one PMD entry: the PMD is"
echo "split into a table of 512 PTEs (deposited when the huge page was mapped, so the split never"
echo "needs memory) mapping the same 2 MiB. The bytes do not move."
a: mprotect buf+1M 4K r
expect /proc/vmstat:thp_split_pmd == 1
expect /proc/meminfo:AnonHugePages == 4M
pagewalk a buf+1M
verify
echo "fork shares huge pages as it shares small ones, write-protected; a write to a shared huge"
echo "page splits the writer's PMD and copies only the 4 KiB written."
fork a b
b: store buf+2M 0x42 1
expect /proc/vmstat:thp_split_pmd == 2
expect /proc/b/smaps_rollup:AnonHugePages == 2M
expect /proc/a/smaps_rollup:AnonHugePages == 4M
exit b
verify

echo ""
echo "== The deferred split queue =="
echo "The split huge page is still one 2 MiB folio, now mapped by PTEs. Unmapping part of it frees"
echo "nothing yet: the folio waits on its node's deferred split queue (thp_deferred_split_page) until"
echo "memory runs short, when a shrinker splits it and its unmapped pages go back to the buddy"
echo "allocator (thp_split_page). Writing 2 to drop_caches runs the shrinkers now."
a: munmap buf+1M 64K
expect /proc/vmstat:thp_deferred_split_page == 1
expect /proc/vmstat:thp_split_page == 0
echo 2 > /proc/sys/vm/drop_caches
expect /proc/vmstat:thp_split_page == 1
verify

echo ""
echo "== khugepaged: small pages collapsed into huge ones =="
echo "Memory faulted in 4 KiB at a time need not stay that way. khugepaged wakes every"
echo "scan_sleep_millisecs and scans the processes that may have huge pages; each 2 MiB range of"
echo "small pages it finds is copied into a new huge page, mapped by one PMD, and the small pages are"
echo "freed (pages_collapsed). max_ptes_none, max_ptes_swap and max_ptes_shared bound the empty,"
echo "swapped-out and shared pages a range may have. MADV_COLLAPSE does the same at once."
cat /sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
echo "Back to enabled=madvise, only ranges given MADV_HUGEPAGE are collapsed: here a mapping"
echo "written with the advice against, then given it."
echo "madvise" > /sys/kernel/mm/transparent_hugepage/enabled
a: c = mmap 4M rw private,anon
a: madvise c 4M nohugepage
a: write c 4M fill=seq
huge = /proc/meminfo:AnonHugePages
echo "4 MiB written in small pages; AnonHugePages:" huge
a: madvise c 4M hugepage
tick 10s
expect /proc/meminfo:AnonHugePages == huge + 4M
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 2
huge = /proc/meminfo:AnonHugePages
echo "After khugepaged's scan, AnonHugePages:" huge
verify

echo ""
echo "== Under pressure =="
echo "Reclaim swaps out 4 KiB pages: a huge page is first split into 512 small ones (thp_split_page)."
echo "A fault that finds no free 2 MiB block quietly takes small pages instead (thp_fault_fallback);"
echo "the defrag setting says how hard a fault may try (reclaim, compaction) before it gives up."
cat /sys/kernel/mm/transparent_hugepage/defrag
exit a
expect /proc/meminfo:AnonHugePages == 0
echo "The process exits; check runs the machine's invariant checker (ok: every count agrees):"
check
echo "A 64 MiB machine with swap, and a process writing 96 MiB with enabled=always:"
machine ram=64M seed=33
mkswap /swapfile size=128M
swapon /swapfile
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn big
big: buf = mmap 96M rw private,anon
big: write buf 96M fill=seq
expect /proc/vmstat:thp_fault_alloc > 0
expect /proc/vmstat:thp_split_page > 0
expect /proc/vmstat:thp_fault_fallback > 0
expect /proc/vmstat:pswpout > 0
alloc = /proc/vmstat:thp_fault_alloc
split = /proc/vmstat:thp_split_page
fallback = /proc/vmstat:thp_fault_fallback
echo alloc "huge pages were faulted in," split "of them split to be swapped out, and" fallback "faults"
echo "found no 2 MiB block and took small pages. verify: every byte is still there."
verify
