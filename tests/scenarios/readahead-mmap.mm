# Readahead on the fault path (mm/filemap.c do_sync_mmap_readahead, do_async_mmap_readahead;
# mm/readahead.c): a sequential scan of an uncached 1 MiB file mapping takes one major fault,
# for the first page; that fault reads the 128 KiB around it (read-around, read_ahead_kb 128), and
# each window marks a page PG_readahead whose touch reads the next window ahead of need, as a minor
# fault. The bytes read ahead are the file's. MADV_RANDOM reads nothing ahead: one major fault per
# page. MADV_SEQUENTIAL starts with a window as read(2) does.
machine ram=128M seed=3
truncate /ra size=1M
spawn w
w: src = mmap 1M rw private,anon
w: write src 1M fill=seq
w: n = pwrite /ra src 1M
expect n == 1M
# msync of a shared mapping writes the file's dirty pages back, so that drop_caches drops them
w: p = mmap 1M r shared file=/ra
w: rv = msync p 1M sync
w: rv = munmap p 1M
echo 1 > /proc/sys/vm/drop_caches
expect /proc/meminfo:Cached == 0
expect /sys/class/bdi/0:2/read_ahead_kb == 128

# a sequential scan: one major fault, every page read once (pgpgin counts KiB), the file's bytes
spawn a
a: m = mmap 1M r private file=/ra
j = /proc/vmstat:pgmajfault
i = /proc/vmstat:pgpgin
a: read m 1M
expect /proc/vmstat:pgmajfault == j + 1
expect /proc/vmstat:pgpgin == i + 1024
expect /proc/meminfo:Cached == 1M
a: x = load m+700K+8
w: y = load src+700K+8
expect x == y
a: x = load m+1M-8
w: y = load src+1M-8
expect x == y
# the pages read ahead were not used through read(2): none is referenced or active yet
expect /proc/meminfo:Active(file) == 0
exit a

# MADV_RANDOM: no readahead, a major fault for each of the 256 pages
echo 1 > /proc/sys/vm/drop_caches
spawn r
r: m = mmap 1M r private file=/ra
r: rv = madvise m 1M random
expect rv == 0
j = /proc/vmstat:pgmajfault
f = /proc/vmstat:pgfault
r: read m 1M
expect /proc/vmstat:pgmajfault == j + 256
expect /proc/vmstat:pgfault == f + 256
exit r

# MADV_SEQUENTIAL: the first fault reads a full window (page_cache_sync_ra), then one more window
# for each marked page; still one major fault
echo 1 > /proc/sys/vm/drop_caches
spawn s
s: m = mmap 1M r private file=/ra
s: rv = madvise m 1M sequential
j = /proc/vmstat:pgmajfault
s: x = load m
expect /proc/vmstat:pgmajfault == j + 1
expect /proc/meminfo:Cached == 128K
s: read m 1M
expect /proc/vmstat:pgmajfault == j + 1
expect /proc/meminfo:Cached == 1M
exit s

# read_ahead_kb 0 turns readahead off for files opened afterwards: a major fault per page
echo 1 > /proc/sys/vm/drop_caches
echo 0 > /sys/class/bdi/0:2/read_ahead_kb
spawn o
o: m = mmap 1M r private file=/ra
j = /proc/vmstat:pgmajfault
o: read m 1M
expect /proc/vmstat:pgmajfault == j + 256
exit o
echo 128 > /sys/class/bdi/0:2/read_ahead_kb

# MADV_WILLNEED reads at most the readahead window's worth (force_page_cache_ra: 128 KiB)
echo 1 > /proc/sys/vm/drop_caches
spawn n
n: m = mmap 1M r private file=/ra
n: rv = madvise m 1M willneed
expect /proc/meminfo:Cached == 128K
j = /proc/vmstat:pgmajfault
n: read m 128K
expect /proc/vmstat:pgmajfault == j
verify
