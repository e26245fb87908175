# smaps counts what is swapped out (Swap) and each process's share of it (SwapPss: a slot two
# processes' PTEs hold counts half to each); hugetlb pages count as Private_Hugetlb, or
# Shared_Hugetlb once a fork maps them twice, not in Rss, and a hugetlb VMA's KernelPageSize and
# MMUPageSize are the huge page size. smaps_rollup and VmSwap agree.
machine ram=64M seed=11
mkswap /swapfile size=256M
swapon /swapfile
sysctl vm.nr_hugepages=4
spawn a
a: h = mmap 4M rw private,anon,hugetlb
a: write h 4M fill=seq
expect /proc/a/smaps_rollup:Private_Hugetlb == 4M
expect /proc/a/smaps_rollup:Rss == 0
a: p = mmap 48M rw private,anon
a: write p 48M fill=seq
fork a b
expect /proc/a/smaps_rollup:Shared_Hugetlb == 4M
spawn c
c: q = mmap 48M rw private,anon
c: write q 48M fill=seq
expect /proc/a/status:VmSwap > 0
expect /proc/a/smaps_rollup:Swap == /proc/a/status:VmSwap
expect /proc/b/smaps_rollup:Swap == /proc/b/status:VmSwap
# every slot of a's is shared with b: half of each is a's
expect /proc/a/smaps_rollup:SwapPss * 2 == /proc/a/smaps_rollup:Swap
expect /proc/a/smaps_rollup:Rss + /proc/a/smaps_rollup:Swap == 48M
exit b
expect /proc/a/smaps_rollup:SwapPss == /proc/a/smaps_rollup:Swap
expect /proc/a/smaps_rollup:Private_Hugetlb == 4M
verify
