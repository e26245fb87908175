# /proc/PID/numa_maps (fs/proc/task_mmu.c show_numa_map): for each VMA its start, the policy its
# pages follow (mpol_to_str: its own from mbind, else the task's), file=, heap, stack or huge, then
# what a walk of its mapped pages finds: anon=, dirty=, mapped= (when neither anon nor dirty counts
# them all), mapmax= (the most page tables mapping one page), swapcache=, active= (active or
# unevictable, shown when not all are), N<node>= and kernelpagesize_kB=. The zero page, the huge
# zero page and swapped-out pages count nowhere; a PMD-mapped THP counts 512 pages, a hugetlb page one.
# The golden output (numa-maps.mm.out) holds the lines.
machine ram=256M nodes=2 cpus=2 aslr=off
fallocate /swapfile size=4M
mkswap /swapfile
swapon /swapfile
sysctl vm.nr_hugepages=2
spawn a
a: r = set_mempolicy interleave nodes=0-1
# 16 pages interleaved 8/8; a fork maps them twice (mapmax=2)
a: p = mmap 64K rw private,anon
a: write p 64K fill=seq
# bind on a range of its own; a read maps the zero page, which counts nowhere
a: q = mmap 64K rw private,anon
a: r = mbind q 64K bind nodes=1
a: write q 16K fill=seq
a: x = load q+32K
# a THP of 512 pages, then the huge zero page (nothing)
a: t = mmap 4M rw private,anon
a: r = madvise t 4M hugepage
a: write t 2M fill=seq
a: x = load t+2M
# a private hugetlb page is anonymous, counted as one page of 2048 kB; no active= for hugetlb
a: h = mmap 2M rw private,anon,hugetlb
a: write h 4K fill=seq
# shared anonymous memory is a /dev/zero file: not anon, dirty; the space is escaped (\040)
a: s = mmap 16K rw shared,anon
a: write s 8K fill=seq
# a file: mapped= (clean, not anonymous)
truncate /tmp/f size=16K
a: f = mmap 16K r shared file=/tmp/f
a: x = load f
# mlock: the locked page is unevictable, counted as active
a: r = mlock p 4K
# a page swapped out counts nowhere; swapped back in while a child still holds its slot, it stays
# in the swap cache
a: w = mmap 16K rw private,anon
a: write w 16K fill=seq
a: r = madvise w 16K pageout
expect r == 0
fork a b
a: x = load w
cat /proc/a/numa_maps
# the child's policy is its own copy; set_mempolicy default shows "default", local "local"
b: r = set_mempolicy local
cat /proc/b/numa_maps
a: r = set_mempolicy default
cat /proc/a/numa_maps
verify
