# mlock faults a range in at once and marks its VMA VM_LOCKED (VmLck, smaps Locked); munlock
# undoes it and the VMAs merge back; mlockall(MCL_FUTURE) locks later mappings and the heap; a
# forked child does not inherit memory locks.
machine ram=64M seed=23 aslr=off
spawn a
a: p = mmap 64K rw private,anon
a: r = mlock p+16K 16K
expect r == 0
expect /proc/a/status:VmLck == 16K
expect /proc/a/status:RssAnon == 16K
a: r = mlock p+100 1
expect /proc/a/status:VmLck == 20K
cat /proc/a/maps
fork a b
expect /proc/b/status:VmLck == 0
a: r = munlock p 64K
expect /proc/a/status:VmLck == 0
a: r = mlock p-4K 4K
expect r == -ENOMEM
a: r = mlockall future
a: q = mmap 8K rw private,anon
expect /proc/a/status:VmLck == 8K
expect /proc/a/status:RssAnon == 28K
a: r = munlockall
expect /proc/a/status:VmLck == 0
a: r = mlockall current
# all but the vDSO's special mappings, which are never locked
expect /proc/a/status:VmLck == /proc/a/status:VmSize - 32K
