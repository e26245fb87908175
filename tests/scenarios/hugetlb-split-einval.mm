# A huge page cannot be cut (hugetlb_vm_op_split): mprotect and a madvise that changes a hugetlb
# VMA's flags over a range that does not start or end on a 2 MiB boundary return -EINVAL, as
# split_vma's error reaches them (vma_modify_flags); over whole huge pages they work. mlock leaves
# hugetlb memory alone (mlock_fixup skips it: its pages are never reclaimed) and returns 0.
machine ram=256M aslr=off
echo 4 > /proc/sys/vm/nr_hugepages
spawn a
a: p = mmap 4M rw private,anon,hugetlb
a: write p 4M fill=seq
a: r = mprotect p+4K 4K r
expect r == -EINVAL
a: r = mprotect p 2M+4K r
expect r == -EINVAL
a: r = mlock p+2M 4K
expect r == 0
expect /proc/meminfo:Mlocked == 0
a: r = madvise p 4K dontfork
expect r == -EINVAL
a: r = mprotect p 2M r
expect r == 0
a: r = mlock p+2M 2M
expect r == 0
a: r = madvise p 2M dontfork
expect r == 0
check
verify
