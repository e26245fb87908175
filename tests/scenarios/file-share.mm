# Two processes mapping the same file share its page-cache pages: one page frame, mapped by both
# (rmap finds both PTEs); the first to touch a page reads it from the file (a major fault), the
# other finds it cached (a minor one); a write by one is seen by the other at once.
machine ram=128M
truncate /shared size=16K
spawn a
spawn b
a: p = mmap 16K rw shared file=/shared
b: q = mmap 16K rw shared file=/shared
a: store p+4K 0xfeed 2
expect /proc/vmstat:pgmajfault == 1
f = /proc/vmstat:pgfault
b: x = load q+4K 2
expect x == 0xfeed
expect /proc/vmstat:pgmajfault == 1
expect /proc/vmstat:pgfault == f + 1
pa = pagewalk a p+4K
pb = pagewalk b q+4K
expect pa == pb
n = rmap pa / 4K
expect n == 2
# a's fault read the whole file around it (readahead), b's read fault mapped all of it (fault-around)
expect /proc/meminfo:Mapped == 16K
expect /proc/meminfo:Cached == 16K
expect /proc/a/smaps_rollup:Pss_File == 2K
expect /proc/a/smaps_rollup:Shared_Dirty == 4K
b: store q+4K 0xbeef 2
a: y = load p+4K 2
expect y == 0xbeef
# fork: the child maps the file again, faulting the pages from the cache
fork a c
c: z = load p+4K 2
expect z == 0xbeef
n = rmap pa / 4K
expect n == 3
exit a
exit b
n = rmap pa / 4K
expect n == 1
verify
