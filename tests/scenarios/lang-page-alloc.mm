# The page allocator's commands and the values they return.
machine ram=64M nodes=2
p = alloc_pages 3 gfp=GFP_KERNEL
expect p != 0
q = __get_free_pages 1 gfp=GFP_KERNEL|__GFP_ZERO
z = get_zeroed_page
n1 = alloc_pages 0 node=1
free_pages p 3
__free_pages q 1
free_pages z 0
free_pages n1 0

# A thousand pages held in an indexed variable, then given back.
before = /proc/vmstat:nr_free_pages
repeat 1000 as i
  page[i] = alloc_pages 0
end
# (pages already on the per-CPU lists are not counted free: allow for a few)
expect /proc/vmstat:nr_free_pages < before - 900
repeat 1000 as i
  free_pages page[i] 0
end

# A failed allocation returns 0 (NULL): not an error. free_pages of 0 does nothing.
huge = alloc_pages 11 gfp=__GFP_NOWARN
echo huge
free_pages huge 0
check
