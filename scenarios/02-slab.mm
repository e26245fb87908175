# Lesson: the slab allocator (seed 3.2): small objects carved from pages, caches of one object size,
# per-CPU slabs and partial lists, kmalloc's size classes, and slub_debug catching what goes wrong.

machine ram=128M cpus=2
echo "The buddy allocator hands out pages; the kernel mostly needs small objects (a 192-byte inode"
echo "part, a 64-byte list node). SLUB cuts pages into equal objects: a slab. A cache keeps the slabs"
echo "of one object size. /proc/slabinfo lists every cache; kmalloc is a family of them:"
cat /sys/kernel/slab/kmalloc-192/objs_per_slab
echo "(21 objects of 192 bytes fit in one 4K page: 4096 = 21 * 192 + 64 bytes of waste)"

echo ""
echo "== A cache of our own =="
kmem_cache_create foo size=192 align=64
cat /sys/kernel/slab/foo/order
slab0 = /proc/meminfo:SUnreclaim
o = kmem_cache_alloc foo
echo "The first object needed a slab: one page from the buddy allocator, counted as SUnreclaim."
cat /sys/kernel/slab/foo/slabs
expect /proc/meminfo:SUnreclaim == slab0 + 4K
echo "The next 20 come from the same slab, through this CPU's lockless freelist: no page allocation."
repeat 20 as i
  x[i] = kmem_cache_alloc foo
end
expect /proc/meminfo:SUnreclaim == slab0 + 4K
echo "The 22nd object needs a second slab."
y = kmem_cache_alloc foo
expect /proc/meminfo:SUnreclaim == slab0 + 8K
cat /sys/kernel/slab/foo/total_objects

echo ""
echo "== The free pointer lives inside the free object =="
echo "Free two objects: the second one's bytes at offset 96 (mid-object, where SLUB keeps the"
echo "pointer) now hold the address of the first, little-endian. The freelist is LIFO:"
kmem_cache_free foo x[3]
kmem_cache_free foo x[5]
kread x[5] 96 8
echo x[3]
x[5] = kmem_cache_alloc foo
x[3] = kmem_cache_alloc foo

echo ""
echo "== Back to the buddy allocator =="
kmem_cache_free foo o
kmem_cache_free foo y
repeat 20 as i
  kmem_cache_free foo x[i]
end
echo "Every object is free, but the slabs stay cached (per-CPU and node partial lists) until the"
echo "node holds more than min_partial of them, or the cache is shrunk:"
cat /sys/kernel/slab/foo/min_partial
kmem_cache_shrink foo
cat /sys/kernel/slab/foo/slabs
expect /proc/meminfo:SUnreclaim == slab0
kmem_cache_destroy foo

echo ""
echo "== slub_debug =="
echo "With slub_debug=FZPU a kmalloc object gets red zones (0xcc while allocated, 0xbb while free),"
echo "free objects are poisoned (0x6b, ending 0xa5), and every alloc and free is checked and"
echo "recorded (FILE:LINE here). Write 4 bytes past the end of a 64-byte object:"
slub_debug FZPU,kmalloc-64
k = kmalloc 64
kwrite k 64 4
kfree k
echo "The object was not freed: the report says where it was allocated. Freed correctly now:"
kfree k
echo "Freeing it twice:"
kfree k
echo "Writing to it after the free: the poison shows it when the object is handed out again."
kwrite k 0 1
k2 = kmalloc 64
echo "Correct use stays quiet, and the whole cache checks out:"
k3 = kmalloc 64
kwrite k3 0 64
kfree k3
echo 1 > /sys/kernel/slab/kmalloc-64/validate
