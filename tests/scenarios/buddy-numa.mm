# Two nodes with a custom distance: allocations prefer the CPU's node and fall back to the other
# when theirs is full; numa_hit/numa_miss/numa_foreign count it.
machine ram=128M nodes=2 cpus=2 distance=10,30;30,10
cat /sys/devices/system/node/node0/distance
cat /sys/devices/system/node/node1/distance
cpu 1
# CPU 1 is on node 1: its allocations are local there.
p = alloc_pages 0
expect /sys/devices/system/node/node1/numastat:local_node >= 1
free_pages p 0
# Fill node 1; the next request spills to node 0 (a miss for node 0, foreign for node 1).
repeat 20000 as i
  q[i] = alloc_pages 0 node=1 gfp=GFP_KERNEL|__GFP_NOWARN
end
expect /proc/vmstat:numa_miss > 0
expect /proc/vmstat:numa_foreign > 0
expect /sys/devices/system/node/node0/numastat:numa_miss > 0
expect /sys/devices/system/node/node1/numastat:numa_foreign > 0
repeat 20000 as i
  free_pages q[i] 0
end
# __GFP_THISNODE never leaves the node: fill node 1 again and it fails instead of spilling.
repeat 20000 as i
  r[i] = alloc_pages 0 node=1 gfp=GFP_KERNEL|__GFP_THISNODE|__GFP_NOWARN
end
expect r[19999] == 0
repeat 20000 as i
  free_pages r[i] 0
end
