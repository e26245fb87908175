# KSM across processes: two processes write fill=seq at the same addresses (aslr=off), so their
# pages are identical pairwise (and seq repeats every 256 pages): 512 pages each, 256 KSM pages
# mapped 4 times. A fork maps them once more; the child is registered and ksmd adds its
# rmap_items; exit and munmap take theirs out. verify reads every byte back throughout.
machine ram=64M seed=2 aslr=off
spawn a
spawn b
a: buf = mmap 2M rw private,anon
b: buf = mmap 2M rw private,anon
a: write buf 2M fill=seq
b: write buf 2M fill=seq
a: r = madvise buf 2M mergeable
b: r = madvise buf 2M mergeable
echo 2000 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
tick 40ms
expect /sys/kernel/mm/ksm/pages_shared == 256
expect /sys/kernel/mm/ksm/pages_sharing == 768
expect /proc/a/ksm_merging_pages == 512
expect /proc/b/ksm_merging_pages == 512
expect /proc/meminfo:AnonPages == 1M
verify
fork a c
expect /proc/c/ksm_stat:ksm_rmap_items == 0
expect /proc/c/smaps_rollup:KSM == 2M
tick 40ms
expect /proc/c/ksm_merging_pages == 512
expect /sys/kernel/mm/ksm/pages_sharing == 1280
verify
# The child writes its copy again: every page it touches is copied out of its KSM page.
c: write buf 64K fill=seq
expect /proc/vmstat:cow_ksm == 16
verify
exit a
expect /sys/kernel/mm/ksm/pages_sharing == 1280 - 512
b: r = munmap buf 1M
expect r == 0
# b's rmap_items of the unmapped half go at its next scan; c's 16 copied pages still hold seq
# bytes, so that scan merges them back into the KSM pages of their content.
tick 40ms
expect /proc/c/ksm_merging_pages == 512
expect /proc/b/ksm_merging_pages == 256
expect /proc/b/ksm_stat:ksm_rmap_items == 256
expect /sys/kernel/mm/ksm/pages_shared == 256
expect /sys/kernel/mm/ksm/pages_sharing == 256 + 512 - 256
verify
exit b
exit c
expect /sys/kernel/mm/ksm/pages_shared == 0
expect /sys/kernel/mm/ksm/pages_sharing == 0
expect /sys/kernel/mm/ksm/general_profit == 0
expect /proc/meminfo:AnonPages == 0
