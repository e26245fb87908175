# An i386 machine with 1G: 896M of lowmem in the direct map, the rest HighMem.
machine ram=1G arch=i386
expect /proc/meminfo:HighTotal + /proc/meminfo:LowTotal == /proc/meminfo:MemTotal
expect /proc/meminfo:HighFree + /proc/meminfo:LowFree == /proc/meminfo:MemFree
expect /proc/meminfo:Hugepagesize == 4M
# vmalloc: from 8M above the end of lowmem (0xf8000000) to 0xff5fe000, below the pkmap and fixmap
expect /proc/meminfo:VmallocTotal == 112632K
# only lowmem is in the direct map: 4K pages up to 4M (the first MiB holes included), 4M pages to 896M
expect /proc/meminfo:DirectMap4k == 4M
expect /proc/meminfo:DirectMap4M == 892M
p = alloc_pages 4 gfp=GFP_HIGHUSER
expect /proc/vmstat:pgalloc_high == 16
expect /proc/meminfo:HighFree == /proc/meminfo:HighTotal - 64K
free_pages p 4
