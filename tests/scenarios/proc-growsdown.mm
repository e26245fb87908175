# MAP_GROWSDOWN mappings grow down on a fault below them like the stack (expand_downwards); the
# stack guard gap (256 pages) keeps other mappings away from any VM_GROWSDOWN VMA: growth that
# would come closer than that to the mapping below is SIGSEGV, and get_unmapped_area leaves the gap
# free. Shared anonymous memory cannot grow down (-EINVAL).
machine ram=64M seed=13 aslr=off
spawn a
stack = 0x7ffffffde000
# a mapping 2M below the stack: the stack may grow to 1M above it, no further
a: low = mmap 64K rw private,anon,fixed addr=stack-2M-64K
expect low == stack - 2M - 64K
a: store stack-1M 1 1
expect /proc/a/status:VmStk == 1M + 132K
expect /proc/a/smaps_rollup:Rss == 4K
# a hint inside the gap is not taken
a: h = mmap 4K rw private,anon addr=stack-1M-512K
expect h != stack - 1M - 512K

a: g = mmap 64K rw private,anon,growsdown
expect /proc/a/status:VmStk == 1M + 132K + 64K
a: store g-8K 5 1
a: x = load g-8K 1
expect x == 5
expect /proc/a/status:VmStk == 1M + 132K + 72K
# the next mapping goes below g's guard gap
a: m = mmap 4K rw private,anon
expect m + 4K <= g - 8K - 1M
a: r = mmap 4K rw shared,anon,growsdown
expect r == -EINVAL
a: write g-8K 72K fill=seq
verify
expect signal SIGSEGV a: store stack-1M-4K 1 1
