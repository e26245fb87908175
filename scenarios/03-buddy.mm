# Lesson: the buddy allocator (seed 3.2): 2^n blocks, splitting and merging, per-CPU lists,
# watermarks, migratetypes and what fragmentation does to big requests.

machine ram=64M
echo "Each column of /proc/buddyinfo counts the free blocks of one order: 4K, 8K, 16K ... 4M."
cat /proc/buddyinfo

echo ""
echo "== Splitting =="
echo "An order-4 request (64 KiB) with no free order-4 block splits a bigger one in halves:"
echo "one half is handed out, the other goes back on the list one order down, until it fits."
before = /proc/vmstat:nr_free_pages
p = alloc_pages 4
cat /proc/buddyinfo
expect /proc/vmstat:nr_free_pages == before - 16

echo ""
echo "== Merging =="
echo "Freeing it finds its buddy (the block at pfn XOR 16) free, merges, and again one order up."
free_pages p 4
cat /proc/buddyinfo
expect /proc/vmstat:nr_free_pages == before

echo ""
echo "== Per-CPU lists =="
echo "Orders 0-3 go through a per-CPU cache: the first order-0 request takes a whole batch"
echo "from the buddy lists, so nr_free_pages drops by the batch size, not by one. The batch"
echo "grows with the zone (1 page on a 64 MiB machine): take a 1 GiB machine."
machine ram=1G
drain_all_pages
before = /proc/vmstat:nr_free_pages
q = alloc_pages 0
echo "pages taken from the buddy lists for one page:" before - /proc/vmstat:nr_free_pages
expect before - /proc/vmstat:nr_free_pages > 1
free_pages q 0
echo "After the free, the page waits on the CPU's list (zoneinfo 'count'); the buddy did not see it."
echo "pages still missing from the buddy lists:" before - /proc/vmstat:nr_free_pages
expect before - /proc/vmstat:nr_free_pages > 1
drain_all_pages
echo "drain_all_pages gives the CPU's lists back; missing now:" before - /proc/vmstat:nr_free_pages
expect /proc/vmstat:nr_free_pages == before

echo ""
echo "== Watermarks =="
echo "min_free_kbytes = sqrt(16 x lowmem KiB), shared out by zone size into each zone's min;"
echo "low and high sit a step above (watermark_scale_factor). kswapd wakes below low."
cat /proc/sys/vm/min_free_kbytes
expect /proc/sys/vm/min_free_kbytes >= 128
avail = /proc/meminfo:MemAvailable
sysctl vm.min_free_kbytes=4096
echo "Raising min_free_kbytes to 4096 recomputes every zone's watermarks (the min, low and high"
echo "lines of /proc/zoneinfo); MemAvailable leaves out what they keep in reserve:"
echo "MemAvailable" avail / 1K "kB before," /proc/meminfo:MemAvailable / 1K "kB after"
expect /proc/meminfo:MemAvailable < avail
expect /proc/sys/vm/min_free_kbytes == 4096

echo ""
echo "== Migratetypes =="
echo "Free blocks are kept per migratetype, in pageblocks of 2 MiB. Kernel (unmovable) pages gather"
echo "in their own pageblocks so that movable ones can later be moved away to make room."
cat /proc/pagetypeinfo
repeat 1500 as i
  k[i] = alloc_pages 0 gfp=GFP_KERNEL
end
echo "After 1500 unmovable pages (6 MiB), movable pageblocks were claimed for them"
echo "(see 'Number of blocks type' at the bottom):"
cat /proc/pagetypeinfo
repeat 1500 as i
  free_pages k[i] 0
end

echo ""
machine ram=64M
echo "== When no block is big enough =="
echo "Take every order-10 block of DMA, then ask for one more: the allocation fails and the"
echo "kernel prints its warning with the state of the zones (unless __GFP_NOWARN)."
repeat 4 as i
  b[i] = alloc_pages 10 gfp=GFP_KERNEL|GFP_DMA|__GFP_NOWARN
end
echo "DMA's order-10 blocks:" b[0] b[1] b[2] b[3]
expect b[3] == 0
last = alloc_pages 10 gfp=GFP_KERNEL|GFP_DMA
expect last == 0
repeat 4 as i
  free_pages b[i] 10
end
