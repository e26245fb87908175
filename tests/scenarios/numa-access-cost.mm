# The cost of a remote access (no kernel counterpart; seed 7.1 "access latency differs"): every byte
# a process's loads and stores touch is charged the distance from its CPU's node to the page's node
# (10 local, here 21 remote); numa_access shows the bytes, the sum and the ratio to all local, and
# returns the sum. Moving the pages to the process's node makes the same reads local again.
machine ram=256M nodes=2 cpus=4 distance=10,21;21,10 aslr=off
spawn a
a: p = mmap 64K rw private,anon
a: r = madvise p 64K nohugepage
a: write p 64K fill=seq
a: c = numa_access
expect c == 64K * 10
# from CPU 2 (node 1) the same bytes are remote
cpu 2
a: read p 64K
a: c = numa_access
expect c == 64K * 10 + 64K * 21
# a load of 8 bytes
a: x = load p+8
a: c = numa_access
expect c == 64K * 10 + 64K * 21 + 8 * 21
# the pages move to node 1: the reads are local again
a: st = move_pages p 16 node=1
expect st[15] == 1
a: read p 64K
a: c = numa_access
expect c == 64K * 10 + 64K * 21 + 8 * 21 + 64K * 10
# a child starts with nothing counted
fork a b
b: c = numa_access
expect c == 0
verify
