# Direct compaction: an order-9 movable request (a THP-sized one) on a zone with plenty of free
# memory in no large block compacts in the allocating context, first, before any reclaim: one
# compact_stall, one compact_success, the data moved intact.
machine ram=48M cpus=1
spawn a
a: buf = mmap 32M rw private,anon
a: write buf 32M fill=seq
repeat 128 as i
  a: munmap buf+i*256K+4K 252K
end
p = alloc_pages 9 gfp=GFP_NOWAIT|__GFP_NOWARN
expect p == 0
expect /proc/vmstat:compact_stall == 0
q = alloc_pages 9 gfp=GFP_HIGHUSER_MOVABLE
expect q != 0
expect /proc/vmstat:compact_stall == 1
expect /proc/vmstat:compact_success == 1
expect /proc/vmstat:compact_fail == 0
expect /proc/vmstat:pgmigrate_success > 0
expect /proc/vmstat:allocstall_dma32 == 0
expect /proc/vmstat:pgscan_direct == 0
verify

echo "An unmovable order-9 request: async compaction takes pages only from unmovable pageblocks and"
echo "finds none to move (compact_fail); after reclaim, sync compaction takes them from any."
machine ram=48M cpus=1
spawn a
a: buf = mmap 32M rw private,anon
a: write buf 32M fill=seq
repeat 128 as i
  a: munmap buf+i*256K+4K 252K
end
trace mm_compaction_try_to_compact_pages,mm_compaction_defer_reset
r = alloc_pages 9 gfp=GFP_KERNEL
trace off
expect r != 0
expect /proc/vmstat:compact_stall == 2
expect /proc/vmstat:compact_fail == 1
expect /proc/vmstat:compact_success == 1
verify
