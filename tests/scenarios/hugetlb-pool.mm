# hugetlb pools (mm/hugetlb.c): nr_hugepages grows the 2 MiB pool with order-9 pages from the buddy
# allocator, spread over the nodes; meminfo, the node meminfo and sysfs show the pool; shrinking gives
# the pages back; a request beyond what the buddy can give stops at what it could; the 1 GiB pool
# (alloc_contig_pages, not modelled) stays empty.
machine ram=256M nodes=2 seed=5 aslr=off
expect /proc/meminfo:HugePages_Total == 0
expect /proc/meminfo:Hugepagesize == 2M
expect /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages == 0
free0 = /proc/meminfo:MemFree
echo 8 > /proc/sys/vm/nr_hugepages
expect /proc/sys/vm/nr_hugepages == 8
expect /proc/meminfo:HugePages_Total == 8
expect /proc/meminfo:HugePages_Free == 8
expect /proc/meminfo:HugePages_Rsvd == 0
expect /proc/meminfo:HugePages_Surp == 0
expect /proc/meminfo:Hugetlb == 16M
expect /proc/vmstat:nr_hugetlb == 8 * 512
expect /proc/meminfo:MemFree <= free0 - 16M
expect /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages == 8
expect /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages == 8
expect /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages == 0
expect /sys/kernel/mm/hugepages/hugepages-2048kB/surplus_hugepages == 0
# round robin over the nodes
expect /sys/devices/system/node/node0/meminfo:HugePages_Total == 4
expect /sys/devices/system/node/node1/meminfo:HugePages_Free == 4
# sysfs writes the same pool
echo 3 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
expect /proc/sys/vm/nr_hugepages == 3
expect /proc/meminfo:HugePages_Total == 3
expect /proc/meminfo:Hugetlb == 6M
echo 0 > /proc/sys/vm/nr_hugepages
expect /proc/meminfo:HugePages_Total == 0
expect /proc/meminfo:Hugetlb == 0
expect /proc/vmstat:nr_hugetlb == 0
expect /proc/meminfo:MemFree >= free0 - 1M
# more than RAM: as many as the buddy allocator can give
echo 1000 > /proc/sys/vm/nr_hugepages
expect /proc/sys/vm/nr_hugepages < 128
expect /proc/sys/vm/nr_hugepages > 64
expect /proc/meminfo:HugePages_Free == /proc/sys/vm/nr_hugepages
echo 0 > /proc/sys/vm/nr_hugepages
expect /proc/meminfo:HugePages_Total == 0
# 1 GiB pages: the pool exists and stays empty
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages == 0
echo 1 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages == 0
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages == 0
verify
