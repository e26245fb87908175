# madvise on a file mapping (mm/madvise.c): WILLNEED reads the file's pages of the range into the page
# cache now (force_page_cache_readahead: pgpgin, Cached), so the faults that follow are minor; PAGEOUT
# reclaims the mapped page-cache pages at once (a dirty one is written to the file first); FREE is
# for anonymous memory only (-EINVAL); REMOVE on a shared writable file mapping is -EOPNOTSUPP: the
# machine's files cannot punch holes (vfs_fallocate's answer for such a file system).
machine ram=128M seed=4 aslr=off
truncate /f size=64K
spawn a
a: m = mmap 64K rw shared file=/f
expect /proc/meminfo:Cached == 0
a: r = madvise m 32K willneed
expect r == 0
expect /proc/meminfo:Cached == 32K
expect /proc/vmstat:pgpgin == 32
a: r = madvise m+60K 4K willneed
expect /proc/meminfo:Cached == 36K
majfault = /proc/vmstat:pgmajfault
# the first read fault maps every cached page of its 64K block (fault-around: 0 to 7, and 15)
f = /proc/vmstat:pgfault
a: read m 32K
expect /proc/vmstat:pgmajfault == majfault
expect /proc/vmstat:pgfault == f + 1
expect /proc/a/status:RssFile == 36K
# page 8 is not cached: a major fault, which reads the missing pages around it (8 to 14)
a: read m+32K 4K
expect /proc/vmstat:pgmajfault == majfault + 1
expect /proc/meminfo:Cached == 64K
a: store m+8 0x66 1
expect /proc/meminfo:Dirty == 4K
# PAGEOUT takes the pages this mapping maps: those read around page 8 but never touched stay
a: r = madvise m 64K pageout
expect r == 0
expect /proc/meminfo:Cached == 24K
expect /proc/meminfo:Dirty == 0
expect /proc/a/status:RssFile == 0
a: x = load m+8 1
expect x == 0x66
a: r = madvise m 64K free
expect r == -EINVAL
a: r = madvise m 64K remove
expect r == -EOPNOTSUPP
a: p = mmap 64K r private file=/f
a: r = madvise p 64K remove
expect r == -EACCES
check
