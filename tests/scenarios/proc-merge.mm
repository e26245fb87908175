# Adjacent anonymous mappings with the same flags merge into one VMA; MAP_FIXED_NOREPLACE fails with
# EEXIST over any overlap and succeeds when the new range only touches an old one.
machine ram=128M seed=6 aslr=off
spawn a
# room above lo, clear of the vDSO's mappings at the top
a: room = mmap 64K none private,anon
a: lo = mmap 16K rw private,anon
a: hi = mmap 16K rw private,anon
a: r = munmap room 64K
expect hi + 16K == lo
echo "two mmaps, one VMA:"
cat /proc/a/maps
a: r = mmap 4K rw private,anon,fixed_noreplace addr=lo+12K
expect r == -EEXIST
a: r = mmap 8K rw private,anon,fixed_noreplace addr=hi-4K
expect r == -EEXIST
a: r = mmap 4K r private,anon,fixed_noreplace addr=hi-4K
expect r == hi - 4K
a: r = mmap 4K rw private,anon,fixed_noreplace addr=lo+16K
expect r == lo + 16K
a: r = mmap 4K rw private,anon,fixed_noreplace addr=lo+17K
expect r == -EINVAL
echo "a read-only neighbour below, a merged one above:"
cat /proc/a/maps
# MAP_FIXED replaces what was there: the middle page becomes read-only and splits the VMA
a: write hi 32K fill=seq
a: r = mmap 4K r private,anon,fixed addr=hi+8K
expect r == hi + 8K
a: z = load hi+8K
expect z == 0
cat /proc/a/maps
verify
