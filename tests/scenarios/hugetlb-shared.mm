# MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB (mm/hugetlb.c, fs/hugetlbfs/inode.c): the mapping is backed by
# a hugetlbfs file of its own, which holds the huge pages by offset and the reservations made at mmap
# (the whole length at once, -ENOMEM when the pool cannot cover it). Every VMA that maps the file -
# a forked child's too - finds the same pages, writable on both sides: no copy-on-write. The pages and
# unused reservations go back to the pool when the last mapping goes. MADV_REMOVE punches a hole.
machine ram=256M seed=5 aslr=off
echo 4 > /proc/sys/vm/nr_hugepages
spawn a
a: s = mmap 3M rw shared,anon,hugetlb
expect s / 2M * 2M == s
expect /proc/meminfo:HugePages_Rsvd == 2
a: x = mmap 6M rw shared,anon,hugetlb
expect x == -ENOMEM
cat /proc/a/maps
a: write s 2M fill=0x21
expect /proc/meminfo:HugePages_Rsvd == 1
expect /proc/meminfo:HugePages_Free == 3
fork a b
b: v = load s 1
expect v == 0x21
b: write s+2M 2M fill=0x42
a: w = load s+2M 1
expect w == 0x42
expect /proc/meminfo:HugePages_Free == 2
expect /proc/meminfo:HugePages_Rsvd == 0
expect /proc/a/smaps_rollup:Shared_Hugetlb == 4M
expect /proc/a/smaps_rollup:Private_Hugetlb == 0
expect /proc/a/status:HugetlbPages == 4M
expect /proc/b/status:HugetlbPages == 4M
# a write by either side is seen by the other, after an mprotect too
b: store s+8 0x99 1
a: y = load s+8 1
expect y == 0x99
a: r = mprotect s 4M r
expect signal SIGSEGV a: store s 1 1
spawn c
fork b d
d: r = mprotect s 4M r
d: r = mprotect s 4M rw
d: store s+16 0x77 1
b: z = load s+16 1
expect z == 0x77
exit d
check
# a died of its SIGSEGV; the file keeps the pages while a mapping is left
expect /proc/meminfo:HugePages_Free == 2
expect /proc/b/smaps_rollup:Private_Hugetlb == 4M
exit b
expect /proc/meminfo:HugePages_Free == 4
expect /proc/meminfo:HugePages_Rsvd == 0
check
# MADV_REMOVE: whole huge pages leave the file (and the pool's reservation), parts of pages are zeroed
c: t = mmap 4M rw shared,anon,hugetlb
c: write t 4M fill=0x33
c: r = madvise t+1M 2M remove
expect r == 0
expect /proc/meminfo:HugePages_Free == 2
c: z = load t+1M 1
c: z2 = load t+1M-1 1
c: z3 = load t+3M 1
c: z4 = load t+3M-1 1
expect z == 0
expect z2 == 0x33
expect z3 == 0x33
expect z4 == 0
c: r = madvise t 2M remove
expect /proc/meminfo:HugePages_Free == 3
expect /proc/c/status:HugetlbPages == 2M
c: z = load t+4K 1
expect z == 0
expect /proc/meminfo:HugePages_Free == 2
# a child maps the file too; the parent unmaps the first huge page: the second, at file offset 2M,
# is still the one they share (the VMA's file offset moved with its start)
fork c e
c: r = munmap t 2M
c: store t+2M+8 0x55 1
e: q = load t+2M+8 1
expect q == 0x55
exit e
expect /proc/c/status:HugetlbPages == 2M
# MAP_NORESERVE: nothing reserved; a fault with no free page left is SIGBUS
c: n = mmap 8M rw shared,anon,hugetlb,noreserve
expect /proc/meminfo:HugePages_Rsvd == 0
c: write n 4M fill=0x44
expect signal SIGBUS c: store n+4M 1 1
expect /proc/meminfo:HugePages_Free == 4
check
