# /proc/meminfo against the other views of the same accounting (vmstat, the node's meminfo), and
# what an allocation that bypasses the per-CPU lists moves.
machine ram=512M cpus=2
expect /proc/meminfo:MemFree / 4K == /proc/vmstat:nr_free_pages
expect /sys/devices/system/node/node0/meminfo:MemTotal == /proc/meminfo:MemTotal
expect /sys/devices/system/node/node0/meminfo:MemFree == /proc/meminfo:MemFree
expect /proc/meminfo:MemAvailable <= /proc/meminfo:MemFree
# overcommit_ratio 50, no swap: half of the managed pages
expect /proc/meminfo:CommitLimit == /proc/meminfo:MemTotal / 8K * 4K
expect /proc/meminfo:Hugepagesize == 2M
expect /proc/meminfo:VmallocTotal == 32T - 1K
# the direct map covers the first MiB (its hole included) and the RAM of the e820 map above it
expect /proc/meminfo:DirectMap4k + /proc/meminfo:DirectMap2M + /proc/meminfo:DirectMap1G == 512M
free = /proc/meminfo:MemFree
p = alloc_pages 4
expect /proc/meminfo:MemFree == free - 64K
expect /proc/vmstat:pgalloc_dma32 + /proc/vmstat:pgalloc_dma >= 16
free_pages p 4
expect /proc/meminfo:MemFree == free
