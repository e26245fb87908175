# khugepaged's limits (mm/khugepaged.c hpage_collapse_scan_pmd): a range with more empty PTEs than
# max_ptes_none, more swapped pages than max_ptes_swap or more pages shared with another process
# than max_ptes_shared is left as it is (thp_scan_exceed_*_pte); with the limit raised the range
# collapses: empty PTEs become zeroes, swapped pages are read back in first, a page shared with a
# child is copied and the child keeps its own. Every byte verified throughout.
machine ram=128M seed=7 aslr=off
mkswap /swapfile size=64M
swapon /swapfile
echo 0 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
spawn a
a: p = mmap 6M rw private,anon
# range 0: half of it written; range 1: written, then 100 pages swapped out; range 2: written
a: write p 1M fill=seq
a: write p+2M 2M fill=seq
a: madvise p+2M 400K pageout
expect /proc/vmstat:pswpout == 100
a: write p+4M 2M fill=seq
a: madvise p 6M hugepage
tick 1ms
expect /proc/vmstat:thp_scan_exceed_none_pte == 1
expect /proc/vmstat:thp_scan_exceed_swap_pte == 1
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 1
expect /proc/meminfo:AnonHugePages == 2M
check
verify
# max_ptes_none 511 (the default): the half-empty range collapses, its empty half reads zero
echo 511 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
tick 10s
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 2
expect /proc/a/status:RssAnon == 4M + 2M - 400K
a: z = load p+1M+8
expect z == 0
check
verify
# max_ptes_swap 128: the 100 swapped pages are faulted in, then the range collapses
echo 128 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_swap
tick 10s
expect /proc/vmstat:pswpin >= 100
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 3
expect /proc/meminfo:AnonHugePages == 6M
expect /proc/a/smaps_rollup:Swap == 0
check
verify
# a second mapping shared with a child, which then writes (copies) 212 of its pages: 300 pages
# are shared, more than max_ptes_shared (256)
a: q = mmap 2M rw private,anon
a: madvise q 2M nohugepage
a: write q 2M fill=seq
a: madvise q 2M hugepage
fork a b
b: write q 848K fill=seq
tick 10s
expect /proc/vmstat:thp_scan_exceed_share_pte >= 1
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 3
echo 511 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_shared
tick 10s
# both processes' ranges collapse, each into a copy of its own (a's first, after which b's pages
# are its own)
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 5
expect /proc/a/smaps_rollup:AnonHugePages == 8M
expect /proc/b/smaps_rollup:AnonHugePages == 8M
b: store q 0x5a 1
a: x = load q 1
expect x != 0x5a
check
verify
