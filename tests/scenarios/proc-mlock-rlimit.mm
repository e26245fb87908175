# RLIMIT_MEMLOCK (mm/mlock.c, mm/mmap.c, mm/mremap.c): a task is root, with CAP_IPC_LOCK, until
# setuid gives it another user id; then it may lock up to its RLIMIT_MEMLOCK (8 MiB, soft and hard,
# by default), counting what is locked already (locked_vm), and nothing at all when the limit is 0.
# mlock and mlockall answer -ENOMEM beyond it, a locked mmap (MAP_LOCKED, or any after
# mlockall(MCL_FUTURE)) and the growth of a locked mapping -EAGAIN, brk keeps the old break.
machine ram=128M seed=2
spawn a
cat /proc/a/limits
a: p = mmap 16M rw private,anon
# root: no limit
a: r = mlock p 16M
expect r == 0
expect /proc/a/status:VmLck == 16M
a: r = munlock p 16M
expect /proc/a/status:VmLck == 0
a: l = mmap 12M rw private,anon,locked
expect /proc/a/status:VmLck == 12M
expect /proc/meminfo:Mlocked == 12M
a: munmap l 12M
# an ordinary user: no way back to root
a: r = setuid 1000
expect r == 0
a: r = setuid 0
expect r == -EPERM
a: r = mlock p 8M
expect r == 0
expect /proc/a/status:VmLck == 8M
# what is locked already counts once: 4K past the limit, then a range inside the locked one
a: r = mlock p 8M+4K
expect r == -ENOMEM
a: r = mlock p+4M 4M
expect r == 0
a: r = mlock p+8M 4K onfault
expect r == -ENOMEM
expect /proc/a/status:VmLck == 8M
# the whole address space is more than 8 MiB; MCL_FUTURE alone locks nothing yet
a: r = mlockall current
expect r == -ENOMEM
a: r = mlockall future
expect r == 0
a: r = mmap 4K rw private,anon
expect r == -EAGAIN
a: r = sbrk 4K
expect r == -ENOMEM
a: r = munlockall
expect /proc/a/status:VmLck == 0
# a locked mapping grows within the limit only
a: q = mmap 8M rw private,anon,locked
expect /proc/a/status:VmLck == 8M
a: r = mremap q 8M 8M+4K maymove
expect r == -EAGAIN
a: r = mmap 4K rw private,anon,locked
expect r == -EAGAIN
a: munmap q 8M
# the limits: the soft one only up to the hard one, the hard one only down
a: r = setrlimit memlock 16M
expect r == -EINVAL
a: r = setrlimit memlock 4M 16M
expect r == -EPERM
a: r = setrlimit memlock 4K 4M
expect r == 0
a: r = mlock p 8K
expect r == -ENOMEM
a: r = setrlimit memlock 0
expect r == 0
a: r = mlock p 4K
expect r == -EPERM
a: r = mmap 4K rw private,anon,locked
expect r == -EPERM
# fork copies the user and the limits
fork a b
b: r = mlock p 4K
expect r == -EPERM
cat /proc/b/limits
check
