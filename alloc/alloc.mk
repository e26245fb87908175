# The user-space allocators (alloc/): replaced by the allocator work.
.PHONY: alloc-libs bench-malloc
alloc-libs:
