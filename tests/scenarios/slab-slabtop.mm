# slabtop (procps) over /proc/slabinfo: the summary lines (objects, slabs, caches in use, their
# size, the smallest, average and largest object) and one row per cache, sorted by object count
# (slabtop -o) or, with sort=c, by cache size. 20 objects of 1000 bytes take two slabs of an
# order-2 page (16 objects each), 40 kmalloc(100) calls two kmalloc-128 slabs. As SLUB's slabinfo
# does, the free objects of a CPU's active slab count as active: big_obj shows 32 of 32 for 20 in
# use, and so does /sys/kernel/slab/big_obj/objects (total_objects less the partial slabs' free).
machine ram=64M
kmem_cache_create big_obj size=1000
repeat 20 as i
  o[i] = kmem_cache_alloc big_obj
end
repeat 40 as i
  k[i] = kmalloc 100
end
slabtop
slabtop sort=c
cat /sys/kernel/slab/big_obj/objects
repeat 20 as i
  kmem_cache_free big_obj o[i]
end
repeat 40 as i
  kfree k[i]
end
kmem_cache_destroy big_obj
