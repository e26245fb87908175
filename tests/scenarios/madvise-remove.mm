# MADV_REMOVE (mm/madvise.c madvise_remove, mm/shmem.c shmem_fallocate): a hole punched in the shmem
# object behind a shared anonymous mapping. Its pages leave every process that maps them (a forked
# child too) and are freed (Shmem falls); later reads see zeros and a write gets a new page. Private
# memory has no file to punch (-EINVAL), a private hugetlb mapping's file is not shared (-EACCES).
machine ram=64M seed=7 aslr=off
spawn a
a: s = mmap 64K rw shared,anon
a: write s 64K fill=0x77
expect /proc/meminfo:Shmem == 64K
fork a b
b: x = load s+16K 1
expect x == 0x77
expect /proc/b/status:RssShmem == 4K
a: r = madvise s+16K 16K remove
expect r == 0
expect /proc/meminfo:Shmem == 48K
expect /proc/a/status:RssShmem == 48K
expect /proc/b/status:RssShmem == 0
b: x = load s+16K 1
a: y = load s+32K 1
a: z = load s+28K 1
expect x == 0
expect y == 0x77
expect z == 0
# the child writes into the hole: the parent sees it (one shared page again)
b: store s+20K 0x99 1
a: w = load s+20K 1
expect w == 0x99
# the reads of the hole allocated zeroed pages too, as shmem_fault does
expect /proc/meminfo:Shmem == 60K
check
# a read-only shared mapping may still be punched (VM_MAYWRITE)
a: r = mprotect s 64K r
a: r = madvise s 16K remove
expect r == 0
expect /proc/meminfo:Shmem == 44K
a: p = mmap 64K rw private,anon
a: r = madvise p 64K remove
expect r == -EINVAL
echo 1 > /proc/sys/vm/nr_hugepages
a: h = mmap 2M rw private,anon,hugetlb
a: r = madvise h 2M remove
expect r == -EACCES
a: l = mmap 64K rw shared,anon
a: r = mlock l 64K
a: r = madvise l 64K remove
expect r == -EINVAL
# across a hole: the mapped parts are punched, then -ENOMEM
a: g = mmap 64K rw shared,anon
a: write g 64K fill=0x12
a: r = munmap g+16K 16K
a: r = madvise g 64K remove
expect r == -ENOMEM
a: v = load g+48K 1
expect v == 0
check
verify
