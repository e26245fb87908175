# When memory is short, a high-order atomic allocation (it cannot wait for reclaim) sets a whole
# pageblock aside as MIGRATE_HIGHATOMIC, so later atomic high-order requests still find a block.
machine ram=64M
# Use memory up to the watermarks, so that requests take the slow path.
repeat 20000 as i
  k[i] = alloc_pages 0 gfp=GFP_KERNEL|__GFP_NOWARN
end
a = alloc_pages 2 gfp=GFP_ATOMIC
expect a != 0
cat /proc/pagetypeinfo
free_pages a 2
repeat 20000 as i
  free_pages k[i] 0
end
