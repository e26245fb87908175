# The NUMA node files of a two-node, four-CPU machine: which nodes are online and have memory and
# CPUs, the distances between them, and which CPUs each node has.
machine ram=512M nodes=2 cpus=4
cat /sys/devices/system/node/online
cat /sys/devices/system/node/possible
cat /sys/devices/system/node/has_memory
cat /sys/devices/system/node/has_normal_memory
cat /sys/devices/system/node/has_cpu
cat /sys/devices/system/node/has_generic_initiator
cat /sys/devices/system/node/node0/distance
cat /sys/devices/system/node/node1/distance
cat /sys/devices/system/node/node0/cpulist
cat /sys/devices/system/node/node1/cpulist
# every page is on one node: the nodes' MemTotal add up to the machine's
expect /sys/devices/system/node/node0/meminfo:MemTotal + /sys/devices/system/node/node1/meminfo:MemTotal == /proc/meminfo:MemTotal
expect /sys/devices/system/node/node0/meminfo:MemFree + /sys/devices/system/node/node1/meminfo:MemFree == /proc/meminfo:MemFree
