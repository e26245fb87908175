# The 1 GiB hugetlb pool (mm/hugetlb.c alloc_gigantic_folio, mm/page_alloc.c alloc_contig_pages): a
# 1 GiB page is beyond the buddy allocator (order 18 > MAX_PAGE_ORDER 10), so a whole aligned 1 GiB
# range of free or movable pages is found, its pageblocks isolated and the anonymous pages in it
# migrated elsewhere (pgmigrate_success; verify checks their bytes), then taken whole. A MAP_HUGETLB
# mapping with MAP_HUGE_1GB maps it with one PUD entry (PSE at the PUD level), cached in a 1G TLB entry.
machine ram=3G seed=2 aslr=off
# pages the kernel holds fill the top gigabyte (off the LRU, migration cannot move them: no 1 GiB
# page there), so the process's pages land in the gigabyte below, in the way of the 1 GiB page
repeat 240 as i
  blk[i] = alloc_pages 10 gfp=GFP_HIGHUSER_MOVABLE
end
spawn a
a: buf = mmap 64M rw private,anon
a: write buf 64M fill=seq
echo 1 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages == 1
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages == 1
expect /proc/vmstat:pgmigrate_success > 0
verify
check
# no second range can be emptied: the pool stays at one, nothing is taken (the per-CPU lists were
# only drained into the buddy lists)
free = /proc/meminfo:MemFree
echo 2 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages == 1
expect /proc/meminfo:MemFree >= free
check
# Hugetlb counts every pool; HugePages_* are the default (2 MiB) pool's
expect /proc/meminfo:Hugetlb == 1G
expect /proc/meminfo:HugePages_Total == 0
a: g = mmap 1G rw private,anon,hugetlb,huge_1gb
expect g / 1G * 1G == g
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/resv_hugepages == 1
# a size with no pool is -EINVAL; a second 1 GiB mapping finds nothing left to reserve
a: x = mmap 1G rw private,anon,hugetlb,huge_1gb
expect x == -ENOMEM
a: write g 64K fill=seq
a: write g+1G-64K 64K fill=seq
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/resv_hugepages == 0
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages == 0
pagewalk a g+1G-4K
tlb
expect /proc/a/status:HugetlbPages == 1G
expect /proc/a/smaps_rollup:Private_Hugetlb == 1G
pagemap a g+4K
verify
check
# fork shares it; the child reads the parent's bytes through its own PUD entry
fork a b
b: v = load g+1G-1 1
a: w = load g+1G-1 1
expect v == w
expect /proc/b/smaps_rollup:Shared_Hugetlb == 1G
exit b
a: r = munmap g 1G
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages == 1
exit a
# shrinking the pool gives the range back to the buddy allocator
free = /proc/meminfo:MemFree
echo 0 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
expect /proc/meminfo:Hugetlb == 0
expect /proc/meminfo:MemFree == free + 1G
check
