# NUMA memory policies (mm/mempolicy.c): set_mempolicy interleave spreads a 64-page mapping 32/32
# over two nodes by page offset, counted in interleave_hit; mbind bind to node 1 puts every page of
# a range there, from a CPU of node 0 (numa_hit and other_node on node 1); preferred tries its node
# first; mbind splits VMAs at the range's ends; the kernel's -EINVAL and -EFAULT.
machine ram=256M nodes=2 cpus=2 aslr=off
spawn a
a: r = set_mempolicy interleave nodes=0-1
expect r == 0
a: p = mmap 256K rw private,anon
a: r = madvise p 256K nohugepage
ih0 = /sys/devices/system/node/node0/numastat:interleave_hit
ih1 = /sys/devices/system/node/node1/numastat:interleave_hit
a: write p 256K fill=seq
expect /sys/devices/system/node/node0/meminfo:AnonPages == 128K
expect /sys/devices/system/node/node1/meminfo:AnonPages == 128K
expect /sys/devices/system/node/node0/numastat:interleave_hit == ih0 + 32
expect /sys/devices/system/node/node1/numastat:interleave_hit == ih1 + 32
expect /proc/vmstat:numa_interleave == ih0 + ih1 + 64
# a forked child inherits the policy
fork a b
b: c = mmap 32K rw private,anon
b: write c 32K fill=seq
expect /sys/devices/system/node/node1/meminfo:AnonPages == 128K + 16K
# bind: CPU 0 is on node 0, yet every page comes from node 1, a hit for node 1 and other_node
a: r = set_mempolicy default
expect r == 0
a: q = mmap 256K rw private,anon
a: r = madvise q 256K nohugepage
a: r = mbind q+64K 128K bind nodes=1
expect r == 0
# q is three VMAs now: the middle one has its own policy
cat /proc/a/maps
hit1 = /sys/devices/system/node/node1/numastat:numa_hit
other1 = /sys/devices/system/node/node1/numastat:other_node
a: write q+64K 128K fill=seq
expect /sys/devices/system/node/node1/meminfo:AnonPages == 128K + 16K + 128K
expect /sys/devices/system/node/node1/numastat:numa_hit == hit1 + 32
expect /sys/devices/system/node/node1/numastat:other_node == other1 + 32
# the rest of q has no policy of its own: the task's default, local allocation on node 0
a: write q 64K fill=seq
expect /sys/devices/system/node/node1/meminfo:AnonPages == 128K + 16K + 128K
# preferred: node 1 first
a: r = set_mempolicy preferred nodes=1
expect r == 0
a: write q+192K 64K fill=seq
expect /sys/devices/system/node/node1/meminfo:AnonPages == 128K + 16K + 128K + 64K
# the same policy again on the middle: the VMAs merge back
a: r = mbind q 256K default
expect r == 0
cat /proc/a/maps
verify
# errors: bind without nodes, local or default with nodes, a node without memory or past
# MAX_NUMNODES, an unaligned start; an unmapped range
a: r = mbind q 4K bind
expect r == -22
a: r = set_mempolicy local nodes=1
expect r == -22
a: r = mbind q 4K default nodes=0
expect r == -22
a: r = set_mempolicy bind nodes=5
expect r == -22
a: r = set_mempolicy interleave nodes=9
expect r == -22
a: r = mbind q+1 4K bind nodes=1
expect r == -22
a: r = mbind 0x1000 4K bind nodes=1
expect r == -14
# preferred without nodes is local allocation
a: r = set_mempolicy preferred
expect r == 0
# a hugetlb mapping is cut only at a huge page's boundary (hugetlb_vm_op_split's -EINVAL)
sysctl vm.nr_hugepages=2
a: h = mmap 4M rw private,anon,hugetlb
a: r = mbind h+4K 4K bind nodes=1
expect r == -22
a: r = mbind h 2M bind nodes=1
expect r == 0
