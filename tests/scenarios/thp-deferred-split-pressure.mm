# The deferred split shrinker under memory pressure (mm/huge_memory.c deferred_split_scan): with no
# swap, reclaim finds nothing to free in anonymous memory, its priority falls and shrink_slab's
# share of the queue grows until the 16 half-unmapped huge pages are split; the 16M of unmapped
# pages they held go back to the allocator, and b's 28M fit without the OOM killer.
machine ram=64M seed=7 aslr=off
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: p = mmap 32M rw private,anon
a: write p 32M fill=seq
repeat 16 as i
  a: munmap p+i*2M 1M
end
expect /proc/vmstat:thp_deferred_split_page == 16
expect /proc/meminfo:AnonPages == 16M
expect /proc/meminfo:MemFree < 24M
check
spawn b
b: q = mmap 28M rw private,anon
b: write q 28M fill=seq
expect /proc/vmstat:thp_split_page == 16
expect /proc/vmstat:oom_kill == 0
expect /proc/vmstat:slabs_scanned >= 16
expect /proc/meminfo:AnonPages == 16M + 28M
check
verify
