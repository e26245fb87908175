# MAP_SHARED|MAP_ANONYMOUS: parent and child see each other's writes; the pages count as Shmem.
machine ram=64M seed=12
spawn a
a: s = mmap 8K rw shared,anon
a: store s 0x41 1
fork a b
b: x = load s 1
expect x == 0x41
b: store s+4K 0x42 1
a: y = load s+4K 1
expect y == 0x42
expect /proc/meminfo:Shmem == 8K
expect /proc/meminfo:Mapped == 8K
expect /proc/b/status:RssShmem == 8K
a: r = munmap s 8K
expect /proc/meminfo:Shmem == 8K
exit b
expect /proc/meminfo:Shmem == 0
