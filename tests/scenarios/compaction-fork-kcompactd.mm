# Compaction moves pages two processes share after fork (both PTEs follow), COW still works after,
# kcompactd wakes on a failed order-9 request and runs at the next tick; every byte is verified.
machine ram=48M cpus=2
spawn a
a: buf = mmap 32M rw private,anon
a: write buf 32M fill=seq
fork a b
repeat 128 as i
  a: munmap buf+i*256K+4K 252K
  b: munmap buf+i*256K+8K 248K
end
p = alloc_pages 9 gfp=GFP_NOWAIT|__GFP_NOWARN
expect p == 0
expect /proc/vmstat:compact_daemon_wake == 0
tick 10ms
expect /proc/vmstat:compact_daemon_wake == 1
expect /proc/vmstat:pgmigrate_success > 0
verify
echo "COW after migration: a write to the page both still share gives the writer its own copy"
b: write buf 4K fill=0xab
a: write buf+4K 4K fill=seq
verify
q = alloc_pages 9 gfp=GFP_NOWAIT
expect q != 0
echo 1 > /sys/devices/system/node/node0/compact
expect /proc/sys/vm/extfrag_threshold == 500
