# The min watermark keeps pages back from ordinary requests; atomic ones (__GFP_HIGH, cannot sleep)
# may dip below it. Raising min_free_kbytes makes ordinary requests fail sooner.
machine ram=64M
sysctl vm.min_free_kbytes=8192
# Take every page an ordinary request may have.
repeat 20000 as i
  k[i] = alloc_pages 0 gfp=GFP_KERNEL|__GFP_NOWARN
end
expect k[19999] == 0
fail = alloc_pages 0 gfp=GFP_KERNEL|__GFP_NOWARN
expect fail == 0
# About 2048 pages (8 MiB) are still free: the reserve.
expect /proc/vmstat:nr_free_pages > 1500
expect /proc/vmstat:nr_free_pages < 2600
# An atomic request still succeeds: it may use part of the reserve.
atomic = alloc_pages 0 gfp=GFP_ATOMIC
expect atomic != 0
free_pages atomic 0
repeat 20000 as i
  free_pages k[i] 0
end
drain_all_pages
expect /proc/vmstat:nr_free_pages > 10000
