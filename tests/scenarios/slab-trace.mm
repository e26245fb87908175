# The slab tracepoints of include/trace/events/kmem.h, in their ftrace formats; call_site is the
# scenario line that made the call. kfree of a slab object is no kmem_cache_free event, kmalloc no
# kmem_cache_alloc one, as in the kernel.
machine ram=64M
kmem_cache_create foo size=100 align=8
trace kmalloc,kmem_cache_alloc,kfree,kmem_cache_free
k = kmalloc 100
z = kzalloc 40 gfp=GFP_ATOMIC
o = kmem_cache_alloc foo gfp=GFP_KERNEL|__GFP_ZERO
kmem_cache_free foo o
kfree k
kfree z
big = kmalloc 20K
kfree big
kfree 0
# A new cache's own structures: a kmem_cache object, and a kmem_cache_node one per node.
kmem_cache_create bar size=32
kmem_cache_destroy bar
trace off
k = kmalloc 100
kfree k
# i386: pointers are 8 hex digits.
machine ram=64M arch=i386
trace kmalloc,kfree
k = kmalloc 8
kfree k
