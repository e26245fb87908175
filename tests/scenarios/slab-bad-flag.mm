# An unknown SLAB_ flag is a parse error: nothing runs.
# exit: 2
echo "not printed"
kmem_cache_create foo size=64 flags=SLAB_HWCACHE_ALIGN|SLAB_NOPE
