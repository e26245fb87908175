# kmem_cache commands name caches that exist.
# exit: 2
kmem_cache_create foo size=64
o = kmem_cache_alloc bar
