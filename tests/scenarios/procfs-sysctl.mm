# The vm tunables: reading, writing, and the kernel's parsing of what is written.
machine ram=256M
sysctl vm.min_free_kbytes=8192
expect /proc/sys/vm/min_free_kbytes == 8192
avail = /proc/meminfo:MemAvailable
sysctl vm.min_free_kbytes=16384
# higher watermarks reserve more: less is available
expect /proc/meminfo:MemAvailable < avail
echo "  0x1000" > /proc/sys/vm/min_free_kbytes
sysctl vm.min_free_kbytes
sysctl vm.watermark_scale_factor=100
sysctl vm.watermark_scale_factor
sysctl vm.lowmem_reserve_ratio
echo "128 64" > /proc/sys/vm/lowmem_reserve_ratio
sysctl vm.lowmem_reserve_ratio
sysctl vm.percpu_pagelist_high_fraction=8
sysctl vm.percpu_pagelist_high_fraction
sysctl vm.watermark_boost_factor
