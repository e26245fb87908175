# Lesson: compaction (seed 3.2, fragmentation handling): plenty of free memory, no free 2 MiB block;
# compaction migrates movable pages together and a large block is free again.

machine ram=48M cpus=1
echo "A process fills most of RAM, then gives back all but one page of every 256 KiB."
spawn a
a: buf = mmap 32M rw private,anon
a: write buf 32M fill=seq
repeat 128 as i
  a: munmap buf+i*256K+4K 252K
end
echo "Free memory is plentiful, but no free block reaches order 9 (2 MiB):"
cat /proc/buddyinfo
echo "extfrag_index towards 1.000: a big request would fail for fragmentation, not lack of memory"
echo "(-1.000: a block of that order is free)."
cat /sys/kernel/debug/extfrag/extfrag_index
echo "unusable_index: the share of free memory in blocks too small for each order (1.000 at order"
echo "9: none of it can serve a 2 MiB request):"
cat /sys/kernel/debug/extfrag/unusable_index
echo ""
echo "== An order-9 (2 MiB) request fails =="
p = alloc_pages 9 gfp=GFP_NOWAIT|__GFP_NOWARN
echo "alloc_pages 9 returned" p "(NULL): GFP_NOWAIT may not compact or reclaim to get it."
expect p == 0
echo ""
echo "== Compaction =="
echo "The migration scanner walks up from the bottom of each zone isolating movable pages, the free"
echo "scanner walks down from the top isolating free pages; each page's bytes are copied and every"
echo "PTE mapping it moves to the copy, until the scanners meet."
echo 1 > /proc/sys/vm/compact_memory
cat /proc/buddyinfo
cat /sys/kernel/debug/extfrag/extfrag_index
expect /proc/vmstat:pgmigrate_success > 0
expect /proc/vmstat:compact_isolated > 0
echo "pages migrated:" /proc/vmstat:pgmigrate_success
q = alloc_pages 9 gfp=GFP_NOWAIT
echo "The same request now gets" q
expect q != 0
echo "The process's bytes are where it left them, at new physical addresses (verify reads every"
echo "byte it wrote back through its page tables):"
verify
