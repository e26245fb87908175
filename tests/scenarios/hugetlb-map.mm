# MAP_HUGETLB (mm/hugetlb.c): the length rounds up to 2 MiB and the pages are reserved at mmap
# (HugePages_Rsvd), -ENOMEM when the pool cannot cover them; a fault maps a pool page with a PMD entry
# (PSE); fork shares the pages write-protected and a write copies one (private COW); munmap and exit
# give the pages back to the pool.
machine ram=256M seed=5 aslr=off
spawn a
a: x = mmap 4M rw private,anon,hugetlb
expect x == -ENOMEM
echo 4 > /proc/sys/vm/nr_hugepages
a: p = mmap 3M rw private,anon,hugetlb
expect p / 2M * 2M == p
expect /proc/meminfo:HugePages_Rsvd == 2
expect /proc/meminfo:HugePages_Free == 4
# only 2 unreserved pages are left
a: y = mmap 6M rw private,anon,hugetlb
expect y == -ENOMEM
# a shared mapping reserves its page too (its file's reservation), and gives it back with munmap
a: z = mmap 2M rw shared,anon,hugetlb
expect z > 0
expect /proc/meminfo:HugePages_Rsvd == 3
a: r = munmap z 2M
expect /proc/meminfo:HugePages_Rsvd == 2
a: write p 4M fill=seq
expect /proc/meminfo:HugePages_Rsvd == 0
expect /proc/meminfo:HugePages_Free == 2
pagewalk a p
pagewalk a p+2M+4096
check
verify
# a huge page cannot be split
a: r = munmap p+4K 4K
expect r == -EINVAL
fork a b
b: read p 4M
b: write p 2M fill=0x11
expect /proc/meminfo:HugePages_Free == 1
b: v = load p 1
expect v == 0x11
check
verify
# the parent's write copies the page the child still maps
a: write p+2M 2M fill=seq
expect /proc/meminfo:HugePages_Free == 0
verify
b: mprotect p 2M r
expect signal SIGSEGV b: store p 1 1
expect /proc/meminfo:HugePages_Free == 2
a: munmap p 2M
expect /proc/meminfo:HugePages_Free == 3
exit a
expect /proc/meminfo:HugePages_Free == 4
expect /proc/meminfo:HugePages_Rsvd == 0
check
# MAP_NORESERVE: no reservation; a fault without a free page is SIGBUS
spawn c
c: n = mmap 16M rw private,anon,hugetlb,noreserve
expect /proc/meminfo:HugePages_Rsvd == 0
c: write n 8M fill=seq
expect /proc/meminfo:HugePages_Free == 0
expect signal SIGBUS c: store n+8M 1 1
expect /proc/meminfo:HugePages_Free == 4
echo 0 > /proc/sys/vm/nr_hugepages
expect /proc/meminfo:HugePages_Total == 0
check
