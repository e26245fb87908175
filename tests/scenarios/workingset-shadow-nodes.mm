# Shadow nodes: a file several times the size of RAM streamed through read() leaves a shadow for
# every evicted page in the page cache's XArray. A node whose 64 slots hold shadows only is counted
# in workingset_nodes; past one such node per 8 pages of memory (a shadow older than that could
# not be told from a first use anyway), the shadow shrinker frees the oldest nodes with their
# shadows (workingset_nodereclaim, slabs_scanned). Reading a page whose shadow was reclaimed is a
# plain first read: no refault.
machine ram=32M seed=1
truncate /stream size=384M
spawn a
a: io = mmap 1M rw private,anon
repeat 384 as i
  a: n = pread /stream io 1M off=i*1M
end
expect /proc/vmstat:workingset_nodes > 1000
expect /proc/vmstat:workingset_nodereclaim >= 128
expect /proc/vmstat:slabs_scanned == /proc/vmstat:workingset_nodereclaim
expect /proc/vmstat:workingset_refault_file == 0
# the first megabyte's shadows were among the oldest, and are gone; those at 200M are still there
a: n = pread /stream io 1M off=0
expect n == 1M
expect /proc/vmstat:workingset_refault_file == 0
# (the read's 256 pages, and the 32 its last readahead window read past them)
a: n = pread /stream io 1M off=200M
expect /proc/vmstat:workingset_refault_file == 288
verify
