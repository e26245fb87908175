# The guided tour of mmlab: `make run` plays it. Each part is a seed topic; the lessons in
# scenarios/NN-*.mm go deeper, one topic each.

echo "=============================================================================="
echo " mmlab: the Linux memory-management subsystem as a machine you can drive"
echo "=============================================================================="
echo ""
echo "--- 1. Physical memory, zones and the kernel/user split (seed 1.1, 1.2) ---"
echo ""
echo "Boot an x86_64 machine with 256 MiB of RAM and 2 CPUs. The kernel reads the firmware's"
echo "map of RAM, reserves what it needs for itself, and hands the rest to the page allocator:"
machine ram=256M cpus=2
dmesg
echo ""
echo "/proc/meminfo is the kernel's own file, field for field. MemTotal is what boot left over:"
cat /proc/meminfo
expect /proc/meminfo:MemTotal < 256M
echo ""
echo "RAM is split into zones by what hardware can reach it: DMA (first 16 MiB, for ISA devices)"
echo "and DMA32 (below 4 GiB). On 32-bit x86 the kernel owns the top 1 GiB of every address"
echo "space (0xc0000000 up), so only 896 MiB of RAM fit in its direct map: the rest is HighMem."
machine ram=1G arch=i386
cat /proc/buddyinfo
expect /proc/meminfo:HighTotal > 0
machine ram=256M cpus=2

echo ""
echo "--- 2. The buddy allocator (seed 3.2) ---"
echo ""
echo "Free memory is kept in blocks of 2^order pages, order 0 (4 KiB) to 10 (4 MiB)."
echo "/proc/buddyinfo counts the free blocks of each order in each zone:"
cat /proc/buddyinfo
echo ""
echo "Ask for 2^5 = 32 contiguous pages. A larger block is split in halves until one fits;"
echo "the halves not used go back one order down each:"
trace mm_page_alloc,mm_page_free
p = alloc_pages 5 gfp=GFP_KERNEL
trace off
cat /proc/buddyinfo
echo ""
echo "Free it: it merges with its free buddy (the block at pfn XOR 32), and again, back up:"
free_pages p 5
cat /proc/buddyinfo
echo ""
echo "Single pages go through per-CPU lists first: no shared list is touched on the fast path."
echo "Each zone keeps watermarks: below 'low' kswapd starts reclaiming, below 'min' only"
echo "urgent (atomic) requests may dip in (/proc/zoneinfo: min, low, high). They all derive"
echo "from vm.min_free_kbytes, which boot set to sqrt(16 x lowmem KiB); writing it recomputes them:"
cat /proc/sys/vm/min_free_kbytes
sysctl vm.min_free_kbytes=8192
expect /proc/sys/vm/min_free_kbytes == 8192
echo ""
echo "GFP flags say where a request may be served from: GFP_DMA only from ZONE_DMA."
d = alloc_pages 0 gfp=GFP_KERNEL|GFP_DMA
expect /proc/vmstat:pgalloc_dma >= 1
free_pages d 0
echo ""
echo "A request no zone can satisfy fails, and the kernel says so (order 10 from DMA, 4 times):"
repeat 3 as i
  b[i] = alloc_pages 10 gfp=GFP_KERNEL|GFP_DMA|__GFP_NOWARN
end
fail = alloc_pages 10 gfp=GFP_KERNEL|GFP_DMA
expect fail == 0
repeat 3 as i
  free_pages b[i] 10
end

echo ""
echo "--- 3. The slab allocator and kmalloc (seed 3.2, 4.1) ---"
echo ""
echo "The kernel mostly needs small objects, not pages. SLUB cuts pages into equal objects (a slab);"
echo "a cache keeps the slabs of one object size. Make a cache of 192-byte objects:"
kmem_cache_create tour_obj size=192
cat /sys/kernel/slab/tour_obj/objs_per_slab
slab0 = /proc/meminfo:SUnreclaim
repeat 22 as i
  o[i] = kmem_cache_alloc tour_obj
end
echo "21 objects fit in one page; the 22nd needed a second slab: SUnreclaim grew by 8 KiB."
expect /proc/meminfo:SUnreclaim == slab0 + 8K
echo "A free object holds the free pointer inside its own bytes (here: the address of o[3]):"
kmem_cache_free tour_obj o[3]
kmem_cache_free tour_obj o[5]
kread o[5] 96 8
o[5] = kmem_cache_alloc tour_obj
o[3] = kmem_cache_alloc tour_obj
repeat 22 as i
  kmem_cache_free tour_obj o[i]
end
kmem_cache_shrink tour_obj
expect /proc/meminfo:SUnreclaim == slab0
kmem_cache_destroy tour_obj
echo ""
echo "kmalloc is a family of such caches, kmalloc-8 ... kmalloc-8k; bigger requests take pages:"
k = kmalloc 100
size = ksize k
echo "kmalloc 100 gave" k "from the cache of" size "byte objects (kmalloc-128)"
expect size == 128
kfree k
echo "vmalloc gives virtually contiguous memory from pages that need not be contiguous at all:"
v = vmalloc 1M
cat /proc/vmallocinfo
vfree v
slabtop

echo ""
echo "--- 4. A process's address space (seed 1.1, 2, 3.1) ---"
echo ""
echo "A process sees virtual addresses. Its mm_struct holds VMAs (text, data, heap, mappings, stack),"
echo "and /proc/PID/maps lists them (ASLR off here, so the addresses are the classic ones):"
machine ram=128M aslr=off
spawn a
cat /proc/a/maps
echo ""
echo "mmap only creates a VMA. Pages come on first touch: each page fault allocates a page and a PTE."
a: buf = mmap 1M rw private,anon
expect /proc/a/status:VmRSS == 0
a: write buf 1M fill=seq
expect /proc/a/status:VmRSS == 1M
echo "The MMU's walk for one address: PGD, PUD, PMD, PTE, then the page frame:"
pagewalk a buf
echo "The upper half is the kernel's, shared by every process: here the direct map of all RAM,"
echo "in 2 MiB pages; their leaf entries lack the U(ser) bit, so user code cannot touch them (seed 1.2):"
pagewalk a 0xffff888000000000 + 0x2000000
echo ""
echo "Huge pages: a PMD entry with the PSE bit maps 2 MiB at once, and one TLB entry covers it all."
echo "Transparent huge pages give them to ordinary memory when /sys/kernel/mm/transparent_hugepage/"
echo "enabled allows: always, or (madvise) in ranges advised MADV_HUGEPAGE:"
cat /sys/kernel/mm/transparent_hugepage/enabled
a: huge = mmap 4M rw private,anon
a: madvise huge 4M hugepage
a: write huge 4M fill=seq
expect /proc/meminfo:AnonHugePages == 4M
pagewalk a huge
echo "The walk stops at the PMD. Changing part of the range splits it back into 512 PTEs:"
a: mprotect huge 4K r
expect /proc/vmstat:thp_split_pmd == 1
expect /proc/meminfo:AnonHugePages == 2M
echo "thp_split_pmd" /proc/vmstat:thp_split_pmd "- AnonHugePages" /proc/meminfo:AnonHugePages / 1K "kB (one of the two is 4K pages now)"
a: munmap huge 4M
echo ""
echo "--- 5. fork and copy-on-write (seed 6) ---"
echo ""
echo "fork shares every page read-only; the first write copies a page for the writer alone."
fork a b
expect /proc/meminfo:AnonPages == 1M
b: store buf 0x77 1
a: x = load buf 1
b: y = load buf 1
expect x != 0x77
expect y == 0x77
expect /proc/meminfo:AnonPages == 1M + 4K
echo "a still reads its own byte, b its new one: one page was copied (AnonPages grew by 4 KiB)."
exit b
echo ""
echo "--- 6. malloc, brk and mmap (seed 4.1) ---"
echo ""
echo "malloc lives in user space: small blocks come from the heap, grown with brk; a block of"
echo "128 KiB or more gets a mapping of its own (glibc's mmap threshold):"
a: small = malloc 100
a: big = malloc 1M
cat /proc/a/maps
a: free big
verify
echo "verify: every byte any process wrote with fill=seq is still there."

echo ""
echo "--- 7. Files and the page cache (seed 6) ---"
echo ""
echo "A program's text comes from its file: spawn exe= maps the ELF's segments privately from the"
echo "file, and their pages come from the page cache, one copy for every process running it."
machine ram=128M aslr=off
spawn sh1 exe=/bin/sh
spawn sh2 exe=/bin/sh
sh1: x = load 0x555555554000 4
sh2: y = load 0x555555554000 4
expect x == 0x464c457f
cat /proc/sh1/maps
t = pagewalk sh1 0x555555554000
n = rmap t / 4K
expect n == 2
echo ""
echo "A MAP_SHARED write dirties the cached page; msync writes it to the file. truncate makes a file"
echo "of the machine's own, and file_load reads the file itself, not the cache:"
truncate /data size=8K
sh1: p = mmap 8K rw shared file=/data
sh1: store p 0x1234
v = file_load /data 0
expect v == 0
expect /proc/meminfo:Dirty == 4K
sh1: r = msync p 8K sync
v = file_load /data 0
expect v == 0x1234
echo "after msync the file holds" v "(0x1234, in decimal)"
echo "See scenarios/61-file-mappings.mm for private copies, SIGBUS, pread/pwrite and drop_caches."

echo ""
echo "--- 8. Memory pressure: reclaim and swap (seed 4.2, 5) ---"
echo ""
echo "64 MiB of RAM, a 64 MiB swap file, and a process that writes 80 MiB. When free memory falls"
echo "under the watermarks, reclaim takes pages from the tail of the inactive list, writes them to"
echo "swap and unmaps them; touching them again faults them back in (major faults)."
machine ram=64M
fallocate /swapfile size=64M
mkswap /swapfile
swapon /swapfile
spawn hog
hog: buf = mmap 80M rw private,anon
hog: write buf 80M fill=seq
cat /proc/swaps
expect /proc/vmstat:pswpout > 0
hog: read buf 80M
expect /proc/vmstat:pswpin > 0
verify
echo "Nothing was lost: verify read every byte back, wherever it was."
exit hog
echo ""
echo "zram is a swap device in RAM that compresses what it stores, with the real lz4/zstd/lzo"
echo "(hog has exited: a store into zram may not start swap I/O to make room, GFP_NOIO):"
echo 16M > /sys/block/zram0/disksize
zram_write /dev/zram0 0 fill=text count=1000
cat /sys/block/zram0/mm_stat
zram_read /dev/zram0 0 fill=text count=1000
echo "(mm_stat: 4096000 bytes stored in the compressed size of the second column; zswap, a"
echo "compressed cache in front of any swap device, is scenarios/44-zswap.mm.)"
echo ""
echo "KSM deduplicates: ksmd scans the memory processes marked MADV_MERGEABLE, and pages with the"
echo "same bytes become one write-protected page that every sharer maps; a write copies it again"
echo "(scenarios/46-ksm.mm). 256 pages of one byte value end as one page mapped 256 times:"
spawn twin
twin: same = mmap 1M rw private,anon
twin: write same 1M fill=0x4b
twin: r = madvise same 1M mergeable
echo 1000 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
tick 40ms
cat /sys/kernel/mm/ksm/pages_shared
cat /sys/kernel/mm/ksm/pages_sharing
expect /sys/kernel/mm/ksm/pages_sharing == 255
twin: store same+4K 0x21 1
expect /proc/vmstat:cow_ksm == 1
verify

echo ""
echo "--- 9. NUMA nodes (seed 7.1) ---"
echo ""
echo "Two nodes, 10 apart from themselves and 20 from each other. Each allocation prefers the"
echo "node of the CPU it runs on, and falls back to the nearest other node when that is full."
machine ram=512M nodes=2 cpus=4
cat /sys/devices/system/node/node0/distance
cpu 3
p = alloc_pages 0
expect /proc/vmstat:numa_local >= 1
free_pages p 0
cat /proc/buddyinfo
echo "See scenarios/71-numa.mm for falling back to a remote node and the numastat counters."

echo ""
echo "End of the tour. The lessons in scenarios/ go deeper into each topic; the README lists them."
