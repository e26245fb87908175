# Compaction migrates page-cache pages too: a shared file mapping's dirty pages interleaved with
# anonymous ones that are then freed leave no free order-9 block; compact_memory moves the file
# pages (the page cache's slot and every PTE follow, Dirty and Mapped stay) and the block is free.
machine ram=32M
truncate /f size=12M
spawn a
spawn b
a: m = mmap 12M rw shared file=/f
a: buf = mmap 12M rw private,anon
repeat 3072 as i
  a: write m+i*4K 4K fill=seq
  a: write buf+i*4K 4K fill=seq
end
b: n = mmap 12M r shared file=/f
b: read n 12M
a: r = munmap buf 12M
p = alloc_pages 9 gfp=GFP_NOWAIT|__GFP_NOWARN
expect p == 0
d = /proc/meminfo:Dirty
mp = /proc/meminfo:Mapped
echo 1 > /proc/sys/vm/compact_memory
expect /proc/vmstat:pgmigrate_success > 0
expect /proc/meminfo:Dirty == d
expect /proc/meminfo:Mapped == mp
q = alloc_pages 9 gfp=GFP_NOWAIT|__GFP_NOWARN
expect q != 0
verify
# the moved pages are still the file's: written back, the file has the bytes a wrote
a: r = msync m 12M sync
expect r == 0
expect /proc/meminfo:Dirty == 0
a: x = load m+12345
b: y = load n+12345
expect x == y
v = file_load /f 12345
expect v == x
