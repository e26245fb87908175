# A huge page fault that finds no free 2 MiB block (mm/huge_memory.c): the default defrag (madvise)
# lets a VMA without MADV_HUGEPAGE neither reclaim nor compact for it (GFP_TRANSHUGE_LIGHT), so the
# fault falls back to 4K pages (thp_fault_fallback); once compaction has made order-9 blocks, the
# next fault gets a huge page.
machine ram=48M cpus=2 seed=21
spawn a
a: buf = mmap 32M rw private,anon
a: write buf 32M fill=seq
repeat 128 as i
  a: munmap buf+i*256K+4K 252K
end
p = alloc_pages 9 gfp=GFP_NOWAIT|__GFP_NOWARN
expect p == 0
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn b
b: q = mmap 4M rw private,anon
b: write q 4M fill=seq
expect /proc/vmstat:thp_fault_fallback == 2
expect /proc/vmstat:thp_fault_alloc == 0
expect /proc/meminfo:AnonHugePages == 0
verify
check
echo 1 > /proc/sys/vm/compact_memory
b: r = mmap 4M rw private,anon
b: write r 4M fill=seq
expect /proc/vmstat:thp_fault_alloc == 2
expect /proc/meminfo:AnonHugePages == 4M
verify
check
