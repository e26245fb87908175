# Lesson: NUMA (seed 7.1, 7.2): nodes and their distances, local allocation, falling back to a
# remote node, and the counters that tell local memory from remote; memory policies, numa_maps,
# moving pages between nodes and automatic NUMA balancing.
#
# On a NUMA machine each CPU socket has RAM of its own: a node. A CPU reaches its own node's RAM
# faster than another node's; the firmware's SLIT table gives the relative costs as distances
# (10 is local). The kernel keeps a pg_data_t per node, with its own zones, free lists, LRU lists
# and kswapd, and builds a zonelist per node: its own zones first, then the other nodes' zones,
# nearest first (mm/mm_init.c build_zonelists).

machine ram=256M nodes=2 cpus=4 distance=10,21;21,10 aslr=off
echo "== Nodes =="
echo "Two nodes of 128 MiB each. Which CPUs each node has (CPUs 0-1 on node 0, 2-3 on node 1):"
cat /sys/devices/system/node/node0/cpulist
cat /sys/devices/system/node/node1/cpulist
echo "The distances from node 0 to node 0 and to node 1 (what numactl --hardware prints):"
cat /sys/devices/system/node/node0/distance
echo "Each node has its own zones: all this RAM is below 4 GiB, so node 0 has DMA and the start of"
echo "DMA32, node 1 the rest of DMA32:"
cat /proc/buddyinfo
echo "Every page is on one node: the nodes' MemTotal add up to the machine's."
node0 = /sys/devices/system/node/node0/meminfo:MemTotal
node1 = /sys/devices/system/node/node1/meminfo:MemTotal
echo "node0" node0 / 1M "MiB + node1" node1 / 1M "MiB =" /proc/meminfo:MemTotal / 1M "MiB"
expect node0 + node1 == /proc/meminfo:MemTotal

echo ""
echo "== Local allocation =="
echo "By default memory comes from the node of the CPU that asks for it. A process on CPU 3"
echo "(node 1) writes 32 MiB: every page fault takes a page of node 1, counted in node 1's"
echo "numastat as numa_hit (the node asked for) and local_node (the asking CPU's own node):"
cpu 3
spawn a
a: buf = mmap 32M rw private,anon
a: write buf 32M fill=seq
cat /sys/devices/system/node/node1/numastat
echo "node1 AnonPages:" /sys/devices/system/node/node1/meminfo:AnonPages / 1M "MiB, node0 AnonPages:" /sys/devices/system/node/node0/meminfo:AnonPages / 1M "MiB"
expect /sys/devices/system/node/node1/meminfo:AnonPages == 32M
expect /sys/devices/system/node/node0/meminfo:AnonPages == 0
expect /sys/devices/system/node/node1/numastat:local_node >= 8192
echo "A kernel allocation may name its node (alloc_pages_node): from CPU 3, a page of node 0 is a"
echo "hit for node 0 (it got what it asked for) but other_node (not the CPU's own node):"
before = /sys/devices/system/node/node0/numastat:other_node
p = alloc_pages 0 node=0
echo "node 0 other_node:" before "->" /sys/devices/system/node/node0/numastat:other_node
expect /sys/devices/system/node/node0/numastat:other_node == before + 1
free_pages p 0

echo ""
echo "== Falling back to a remote node =="
echo "When node 1's zones are down to their low watermark, the allocator goes on down the"
echo "zonelist to node 0 rather than reclaiming (vm.zone_reclaim_mode 0, the default): remote"
echo "memory is slower, but better than none. The process writes 128 MiB more, more than node 1"
echo "has free:"
a: more = mmap 128M rw private,anon
a: write more 128M fill=seq
echo "node1 AnonPages:" /sys/devices/system/node/node1/meminfo:AnonPages / 1M "MiB, node0 AnonPages:" /sys/devices/system/node/node0/meminfo:AnonPages / 1M "MiB"
expect /sys/devices/system/node/node0/meminfo:AnonPages > 32M
echo "Node 0 served pages meant for node 1: numa_miss on node 0, numa_foreign on node 1."
cat /sys/devices/system/node/node0/numastat
cat /sys/devices/system/node/node1/numastat
expect /sys/devices/system/node/node0/numastat:numa_miss > 0
expect /sys/devices/system/node/node1/numastat:numa_foreign == /sys/devices/system/node/node0/numastat:numa_miss
echo "/proc/vmstat sums the nodes' counters: numa_miss" /proc/vmstat:numa_miss "numa_foreign" /proc/vmstat:numa_foreign
expect /proc/vmstat:numa_miss == /proc/vmstat:numa_foreign
a: munmap more 128M

echo ""
echo "== Staying on one node: __GFP_THISNODE =="
echo "A caller that wants a node's memory or nothing (a per-node structure, a huge page for that"
echo "node) adds __GFP_THISNODE: the zonelist then holds that node's zones alone, and a full node"
echo "makes the allocation fail instead of spilling over. Take node 1's 2 MiB blocks one by one:"
repeat 64 as i
  h[i] = alloc_pages 9 node=1 gfp=GFP_KERNEL|__GFP_THISNODE|__GFP_NOWARN
end
echo "Node 1 free:" /sys/devices/system/node/node1/meminfo:MemFree / 1K "KiB, none of it in a 2 MiB block;"
echo "the last request got" h[63] "although node 0 has free 2 MiB blocks:"
cat /proc/buddyinfo
expect h[63] == 0
repeat 64 as i
  free_pages h[i] 9
end
verify

echo ""
echo "== Memory policies: set_mempolicy and mbind =="
echo "A process can say where its memory goes (mm/mempolicy.c; numactl --interleave and --membind"
echo "call these). set_mempolicy sets the policy of the whole process, mbind that of a range,"
echo "which becomes a VMA of its own. interleave spreads a mapping's pages over the nodes by their"
echo "offset in it, page i on the (i mod nodes)-th node, so a big table's bandwidth comes from"
echo "every node. Process c, on CPU 0 (node 0), interleaves 256 KiB (64 pages) over both nodes:"
cpu 0
spawn c
c: r = set_mempolicy interleave nodes=0,1
expect r == 0
c: t = mmap 256K rw private,anon
c: r = madvise t 256K nohugepage
n0 = /sys/devices/system/node/node0/meminfo:AnonPages
n1 = /sys/devices/system/node/node1/meminfo:AnonPages
ih = /proc/vmstat:numa_interleave
c: write t 256K fill=seq
echo "node0 AnonPages +" (/sys/devices/system/node/node0/meminfo:AnonPages - n0) / 4K "pages, node1 AnonPages +" (/sys/devices/system/node/node1/meminfo:AnonPages - n1) / 4K "pages"
expect /sys/devices/system/node/node0/meminfo:AnonPages - n0 == 128K
expect /sys/devices/system/node/node1/meminfo:AnonPages - n1 == 128K
echo "Each page landed on the node interleave chose: interleave_hit counts them (numa_interleave"
echo "in /proc/vmstat sums the nodes):" /proc/vmstat:numa_interleave - ih
expect /proc/vmstat:numa_interleave - ih == 64
echo "bind keeps allocations to its nodes: the zonelist is filtered by the nodemask. mbind binds"
echo "a new 256 KiB range to node 1; CPU 0 is on node 0, yet every page comes from node 1, each a"
echo "numa_hit for node 1 (the node the policy asked for) and other_node (not the CPU's):"
c: r = set_mempolicy default
c: u = mmap 256K rw private,anon
c: r = mbind u 256K bind nodes=1
expect r == 0
n1 = /sys/devices/system/node/node1/meminfo:AnonPages
c: write u 256K fill=seq
echo "node1 AnonPages +" (/sys/devices/system/node/node1/meminfo:AnonPages - n1) / 4K "pages"
expect /sys/devices/system/node/node1/meminfo:AnonPages - n1 == 256K
cat /sys/devices/system/node/node1/numastat
echo "The policies' errors are the kernel's: bind with no node, or only nodes without memory,"
echo "is -EINVAL (-22):"
c: r = mbind u 256K bind nodes=5
echo "mbind ... bind nodes=5:" r
expect r == -22
verify

echo ""
echo "== Where a process's pages are: /proc/PID/numa_maps =="
echo "numa_maps lists each VMA's start, the policy its pages follow and, from a walk of its page"
echo "tables, how many pages it maps on each node (N0=, N1=): the interleaved range shows its pages"
echo "half on each node, the bound one all on node 1 (bind:1):"
cat /proc/c/numa_maps

echo ""
echo "== Moving pages: move_pages, migrate_pages, mbind's move =="
echo "Pages already placed can move (mm/migrate.c): the kernel copies each page to a page of the"
echo "target node and points every PTE that mapped it at the copy; the process sees the same bytes."
echo "move_pages moves chosen pages and reports each one's node (without a target, it only tells"
echo "where they are). The first 8 pages of the bound range, from node 1 to node 0:"
c: st = move_pages u 8 node=0
echo "status of the first and the last:" st[0] st[7] "- pgmigrate_success:" /proc/vmstat:pgmigrate_success
expect st[0] == 0
expect st[7] == 0
echo "migrate_pages moves all of a process's pages from some nodes to others (what numactl"
echo "--migrate and cpusets use): everything c has on node 1 goes to node 0:"
c: r = migrate_pages 1 0
expect r == 0
cat /proc/c/numa_maps
c: st = move_pages u 64
expect st[63] == 0
echo "mbind with move puts a range's misplaced pages where its new policy wants them:"
c: r = mbind t 256K bind move nodes=1
expect r == 0
c: st = move_pages t 1
echo "the first page of t is on node" st[0]
expect st[0] == 1
verify

echo ""
echo "== Automatic NUMA balancing =="
echo "A process that runs on one node while its memory sits on another pays for every access."
echo "With kernel.numa_balancing=1 the scheduler scans each process now and then (task_numa_work):"
echo "it makes a window of its PTEs PROT_NONE. The next access traps (a NUMA hinting fault): the"
echo "kernel restores the PTE and, when the page is on another node than the CPU that touched it,"
echo "moves the page there. Process d writes 1 MiB from node 0, then runs on CPU 2 (node 1):"
spawn d
d: m = mmap 1M rw private,anon
d: r = madvise m 1M nohugepage
d: write m 1M fill=seq
cpu 2
echo "Remote memory is slower in the proportion of the distances (21 to 10 here). The machine"
echo "charges each byte a process touches its distance (numa_access; no kernel counterpart): d"
echo "wrote its 1 MiB locally, then reads it from node 1:"
d: read m 1M
d: c = numa_access
expect c == 1M * 10 + 1M * 21
echo 1 > /proc/sys/kernel/numa_balancing
tick 1s
echo "The scan marked its 256 pages (numa_pte_updates):" /proc/vmstat:numa_pte_updates
expect /proc/vmstat:numa_pte_updates == 256
d: read m 1M
echo "Reading them took" /proc/vmstat:numa_hint_faults "hinting faults (numa_hint_faults), of which"
echo /proc/vmstat:numa_hint_faults_local "were local (numa_hint_faults_local); it moved" /proc/vmstat:numa_pages_migrated "pages to node 1:"
expect /proc/vmstat:numa_pages_migrated == 256
cat /proc/d/numa_maps
echo "The same read is local now:"
d: c = numa_access
expect c == 1M * 10 + 1M * 21 + 1M * 10
verify

# Not modelled yet: remote accesses taking simulated time (numa_access only counts their cost), the
# page cache, shmem and kernel allocations following the task's policy, preferred_many and
# weighted interleave, task placement and numa_group in NUMA balancing, THP and hugetlb migration.
