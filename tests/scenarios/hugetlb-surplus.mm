# Surplus huge pages (mm/hugetlb.c gather_surplus_pages, return_unused_surplus_pages): beyond the
# persistent pool (nr_hugepages), up to nr_overcommit_hugepages more pages may come from the buddy
# allocator when a reservation or a MAP_NORESERVE fault needs them (HugePages_Surp); they go back to
# the buddy allocator as soon as they are released. A gigantic (1 GiB) pool takes the limit but never
# makes surplus pages.
machine ram=256M seed=3 aslr=off
spawn a
echo 2 > /proc/sys/vm/nr_hugepages
a: x = mmap 8M rw private,anon,hugetlb
expect x == -ENOMEM
echo 2 > /proc/sys/vm/nr_overcommit_hugepages
expect /sys/kernel/mm/hugepages/hugepages-2048kB/nr_overcommit_hugepages == 2
a: x = mmap 8M rw private,anon,hugetlb
expect x > 0
expect /proc/meminfo:HugePages_Total == 4
expect /proc/meminfo:HugePages_Surp == 2
expect /proc/meminfo:HugePages_Rsvd == 4
expect /sys/kernel/mm/hugepages/hugepages-2048kB/surplus_hugepages == 2
expect /proc/meminfo:Hugetlb == 8M
a: y = mmap 2M rw private,anon,hugetlb
expect y == -ENOMEM
a: write x 8M fill=seq
expect /proc/meminfo:HugePages_Free == 0
expect /proc/meminfo:HugePages_Rsvd == 0
verify
check
a: r = munmap x 8M
expect /proc/meminfo:HugePages_Total == 2
expect /proc/meminfo:HugePages_Surp == 0
expect /proc/meminfo:HugePages_Free == 2
# three surplus pages needed, two allowed: the two made are freed again, and the mmap fails
a: z = mmap 10M rw private,anon,hugetlb
expect z == -ENOMEM
expect /proc/meminfo:HugePages_Total == 2
expect /proc/meminfo:HugePages_Surp == 0
expect /proc/meminfo:HugePages_Rsvd == 0
# reserved and never touched: the surplus pages leave with the reservation
a: x = mmap 6M rw shared,anon,hugetlb
expect /proc/meminfo:HugePages_Surp == 1
a: r = munmap x 6M
expect /proc/meminfo:HugePages_Surp == 0
expect /proc/meminfo:HugePages_Total == 2
check
# MAP_NORESERVE faults take surplus pages when the pool runs out, then SIGBUS past the limit
a: n = mmap 10M rw private,anon,hugetlb,noreserve
a: write n 8M fill=seq
expect /proc/meminfo:HugePages_Surp == 2
verify
expect signal SIGBUS a: store n+8M 1 1
expect /proc/meminfo:HugePages_Total == 2
expect /proc/meminfo:HugePages_Surp == 0
expect /proc/meminfo:Hugetlb == 4M
echo 1 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_overcommit_hugepages
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_overcommit_hugepages == 1
spawn b
b: g = mmap 1G rw private,anon,hugetlb,huge_1gb
expect g == -ENOMEM
expect /sys/kernel/mm/hugepages/hugepages-1048576kB/surplus_hugepages == 0
check
