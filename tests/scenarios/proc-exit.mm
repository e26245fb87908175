# exit frees every page and page table of the process: memory returns to what it was.
machine ram=128M seed=10
used0 = /proc/vmstat:pgalloc_dma + /proc/vmstat:pgalloc_dma32 + /proc/vmstat:pgalloc_normal - /proc/vmstat:pgfree
spawn a
a: buf = mmap 4M rw private,anon
a: write buf 4M fill=seq
a: top = brk 0
a: top = brk top+1M
a: write top-1M 1M fill=rand
fork a b
b: write buf 1M fill=zero
# a's 4M + 1M, shared with b until b wrote 1M of its own
expect /proc/meminfo:AnonPages == 6M
expect /proc/meminfo:PageTables > 0
verify
exit a
verify
exit b
expect /proc/meminfo:AnonPages == 0
expect /proc/meminfo:PageTables == 0
# every page allocated since is free again but the shared zero page, kept for the next process
used = /proc/vmstat:pgalloc_dma + /proc/vmstat:pgalloc_dma32 + /proc/vmstat:pgalloc_normal - /proc/vmstat:pgfree
expect used == used0 + 1
