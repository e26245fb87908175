# echo 1 > /proc/sys/vm/drop_caches frees the clean page cache nobody maps; dirty and mapped pages
# stay. 2 frees unused inodes (the only slab shrinker modelled); each write logs the kernel's line.
machine ram=128M
truncate /f size=32K
spawn a
a: buf = mmap 32K rw private,anon
a: n = pread /f buf 32K
expect /proc/meminfo:Cached == 32K
a: m = mmap 4K r shared file=/f
a: x = load m
a: n = pwrite /f buf 4K off=8K
expect /proc/meminfo:Dirty == 4K
echo 1 > /proc/sys/vm/drop_caches
# page 0 is mapped, page 2 dirty: they stay
expect /proc/meminfo:Cached == 8K
expect /proc/vmstat:drop_pagecache == 1
a: r = msync m 4K sync
expect r == 0
a: r = munmap m 4K
echo 3 > /proc/sys/vm/drop_caches
expect /proc/meminfo:Cached == 4K
# munmap wrote nothing (the mapping was clean), page 2 is still dirty: pwrite's pages wait for
# writeback, and drop_caches does not write
expect /proc/meminfo:Dirty == 4K
expect /proc/vmstat:drop_slab == 1
# 4 silences the line: the third write logs nothing
echo 4 > /proc/sys/vm/drop_caches
echo 1 > /proc/sys/vm/drop_caches
dmesg
