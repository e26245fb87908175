# Direct compaction that fails, and its deferral: unmovable kernel pages pin every pageblock, so an
# order-9 request compacts in vain (compact_fail); the failed sync run defers compaction of the zone
# for that order and above (mm_compaction_defer_compaction), and the next requests skip it
# (mm_compaction_deferred) once of 2 attempts, then 3 times of 4. Deferred attempts count as stalls
# that fail, as in the kernel.
machine ram=48M cpus=1
repeat 12288 as i
  pg[i] = alloc_pages 0 gfp=GFP_NOWAIT|__GFP_NOWARN
end
expect /proc/meminfo:MemFree < 4M
echo "Every 64th page stays allocated"
repeat 192 as j
  repeat 63 as k
    free_pages pg[j*64+k+1] 0
  end
end
expect /proc/meminfo:MemFree > 30M
expect /proc/vmstat:compact_stall == 0
trace mm_compaction_deferred,mm_compaction_defer_compaction,mm_compaction_defer_reset,mm_compaction_end
p = alloc_pages 9 gfp=GFP_KERNEL|__GFP_NOWARN
expect p == 0
expect /proc/vmstat:compact_stall == 2
expect /proc/vmstat:compact_fail == 2
expect /proc/vmstat:compact_success == 0
echo "Deferred: the first attempt of the next request skips the zones"
p = alloc_pages 9 gfp=GFP_KERNEL|__GFP_NOWARN
expect p == 0
p = alloc_pages 9 gfp=GFP_KERNEL|__GFP_NOWARN
expect p == 0
trace off
expect /proc/vmstat:compact_success == 0
expect /proc/vmstat:compact_fail == /proc/vmstat:compact_stall
check
