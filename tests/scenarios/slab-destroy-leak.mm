# Destroying a cache with live objects reports them (with their allocation site) and keeps it.
machine ram=64M cpus=1
kmem_cache_create foo size=100 flags=SLAB_STORE_USER
a = kmem_cache_alloc foo
b = kmem_cache_alloc foo
kmem_cache_free foo a
r = kmem_cache_destroy foo
expect r == -EBUSY
kmem_cache_free foo b
r = kmem_cache_destroy foo
expect r == 0
