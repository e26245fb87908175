# khugepaged (mm/khugepaged.c): a 2M mapping faulted in page by page (enabled=madvise, no advice
# yet) holds 512 small pages; MADV_HUGEPAGE registers the mm, and at its next wake-up khugepaged
# collapses the range into one PMD-mapped huge page: AnonHugePages from 0 to 2048 kB,
# pages_collapsed 1, every byte copied. Then it sleeps scan_sleep_millisecs between scans.
machine ram=128M seed=7 aslr=off
spawn a
a: p = mmap 2M rw private,anon
a: write p 2M fill=seq
expect /proc/meminfo:AnonHugePages == 0
expect /proc/a/smaps_rollup:AnonHugePages == 0
expect /proc/a/status:RssAnon == 2M
pt0 = /proc/meminfo:PageTables
a: madvise p 2M hugepage
# nothing happens before the clock moves
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 0
trace mm_khugepaged_scan_pmd,mm_collapse_huge_page
tick 1ms
trace off
expect /proc/meminfo:AnonHugePages == 2048K
expect /proc/a/smaps_rollup:AnonHugePages == 2M
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 1
expect /sys/kernel/mm/transparent_hugepage/khugepaged/full_scans == 1
expect /proc/vmstat:thp_collapse_alloc == 1
expect /proc/vmstat:thp_collapse_alloc_failed == 0
expect /proc/vmstat:nr_anon_transparent_hugepages == 1
expect /proc/meminfo:AnonPages == 2M
expect /proc/a/status:RssAnon == 2M
# the PTE table stays, deposited for a later split
expect /proc/meminfo:PageTables == pt0
check
verify
# the next scan comes scan_sleep_millisecs (10 s) later, and finds the huge PMD
tick 9s
expect /sys/kernel/mm/transparent_hugepage/khugepaged/full_scans == 1
tick 1s
expect /sys/kernel/mm/transparent_hugepage/khugepaged/full_scans == 2
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 1
# the huge page is an ordinary one: a fork shares it, a write copies 4K of it
fork a b
b: store p+8 0x41 1
b: x = load p+8 1
expect x == 0x41
check
verify
exit a
exit b
expect /proc/meminfo:AnonPages == 0
expect /proc/meminfo:AnonHugePages == 0
check
