# MADV_FREE, MADV_COLD and MADV_PAGEOUT on transparent huge pages (mm/huge_memory.c
# madvise_free_huge_pmd, mm/madvise.c madvise_cold_or_pageout_pte_range): a whole huge PMD of a folio
# mapped only here is handled as one folio (pglazyfree counts its 512 pages); part of one splits the
# PMD and its pages are left alone; PAGEOUT splits the folio and reclaims its pages at once. Every
# byte kept is verified.
machine ram=128M seed=9 aslr=off
mkswap /swapfile size=64M
swapon /swapfile
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: p = mmap 8M rw private,anon
a: write p 8M fill=seq
expect /proc/meminfo:AnonHugePages == 8M
# FREE of a whole huge page: the folio is lazily freed, still mapped by its PMD
a: madvise p 2M free
expect /proc/vmstat:pglazyfree == 512
expect /proc/a/smaps_rollup:LazyFree == 2M
expect /proc/meminfo:AnonHugePages == 8M
# FREE of part of one: its PMD is split, its pages stay as they were
a: madvise p+2M 1M free
expect /proc/vmstat:thp_split_pmd == 1
expect /proc/vmstat:pglazyfree == 512
check
# PAGEOUT of the lazily freed folio: split, and dropped without swap-out
a: madvise p 2M pageout
expect /proc/vmstat:thp_split_page == 1
expect /proc/vmstat:pglazyfreed == 512
expect /proc/vmstat:pswpout == 0
a: v = load p+100
expect v == 0
check
# COLD of a whole huge page keeps its PMD (the two splits so far: the partial FREE, the PAGEOUT)
a: madvise p+4M 2M cold
expect /proc/vmstat:thp_split_pmd == 2
# PAGEOUT of a whole huge page: split, swapped out, read back intact
a: madvise p+6M 2M pageout
expect /proc/vmstat:thp_split_page == 2
expect /proc/vmstat:pswpout == 512
verify
check
a: read p+6M 2M
expect /proc/vmstat:pswpin > 0
verify
check
