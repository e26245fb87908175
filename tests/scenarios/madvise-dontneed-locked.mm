# madvise on locked memory (mm/madvise.c): DONTNEED and FREE refuse a VM_LOCKED VMA (-EINVAL,
# madvise_dontneed_free_valid_vma), as do COLD, PAGEOUT (can_madv_lru_vma) and REMOVE;
# DONTNEED_LOCKED (5.18) drops the pages anyway: they are unlocked and freed, the VMA stays locked,
# and the next write faults in a zeroed page that is locked at once.
machine ram=64M seed=5
spawn a
a: p = mmap 1M rw private,anon
a: write p 1M fill=seq
a: r = mlock p 1M
expect /proc/meminfo:Mlocked == 1M
a: r = madvise p 1M dontneed
expect r == -EINVAL
a: r = madvise p 1M free
expect r == -EINVAL
a: r = madvise p 1M cold
expect r == -EINVAL
a: r = madvise p 1M pageout
expect r == -EINVAL
a: s = mmap 64K rw shared,anon
a: r = mlock s 64K
a: r = madvise s 64K remove
expect r == -EINVAL
a: munmap s 64K
verify
a: r = madvise p 512K dontneed_locked
expect r == 0
expect /proc/meminfo:Mlocked == 512K
expect /proc/a/status:RssAnon == 512K
expect /proc/a/status:VmLck == 1M
a: x = load p 8
expect x == 0
a: store p 1 1
expect /proc/meminfo:Mlocked == 512K + 4K
# an unlocked range takes it as DONTNEED
a: q = mmap 64K rw private,anon
a: write q 64K fill=0x5a
a: r = madvise q 64K dontneed_locked
expect r == 0
a: x = load q 8
expect x == 0
verify
check
