# Reclaim of page-cache pages, with no swap: dirty shared file pages are unmapped, written to their
# file and freed (pageout: nr_vmscan_write); clean ones are just dropped; nothing is lost - every
# byte written is in the cache or the file, and comes back on the next touch (a major fault).
machine ram=64M
truncate /big size=96M
spawn a
a: p = mmap 96M rw shared file=/big
a: write p 96M fill=seq
expect /proc/vmstat:pgscan_anon == 0
expect /proc/vmstat:pgsteal_file > 0
expect /proc/vmstat:nr_vmscan_write > 0
expect /proc/vmstat:nr_written == /proc/vmstat:nr_vmscan_write
expect /proc/meminfo:Cached < 64M
verify
# read back through the mapping: evicted pages are read from the file again
m = /proc/vmstat:pgmajfault
a: read p 96M
expect /proc/vmstat:pgmajfault > m
# each evicted page left its shadow in the page cache: reading it back is a refault
expect /proc/vmstat:workingset_refault_file > 0
verify
# once clean (msync), reclaim drops pages without writing them
a: r = msync p 96M sync
expect /proc/meminfo:Dirty == 0
w = /proc/vmstat:nr_written
s = /proc/vmstat:pgsteal_file
spawn b
b: q = mmap 40M rw private,anon
b: write q 40M fill=seq
expect /proc/vmstat:pgsteal_file > s
expect /proc/vmstat:nr_written == w
verify
# pread'd pages (no mapping at all) are reclaimed the same way
exit b
truncate /cold size=48M
a: io = mmap 1M rw private,anon
repeat 48 as i
  a: n = pread /cold io 1M off=i*1M
end
expect /proc/meminfo:Cached < 64M
verify
