# File pages faulted into a locked mapping are mlocked at fault time, as shmem's are: the fault's
# set_pte_range adds the file rmap (mm/rmap.c __folio_add_file_rmap), which calls mlock_vma_folio
# for a VM_LOCKED VMA (mm/memory.c, mm/mlock.c). That holds for the page the fault maps, for the
# cached pages fault-around maps beside it and for a MAP_LOCKED mapping's populate; pages that
# readahead only reads into the cache, unmapped, stay evictable.
machine ram=128M seed=5
truncate /f size=1M

# mlock on fault: the first load reads 128K ahead (32 pages) and maps one page, locked
spawn a
a: q = mmap 1M r private file=/f
a: r = mlock q 1M onfault
expect r == 0
a: x = load q+256K 1
expect /proc/meminfo:Cached == 128K
expect /proc/a/status:RssFile == 4K
expect /proc/meminfo:Mlocked == 4K
expect /proc/meminfo:Unevictable == 4K
expect /proc/vmstat:unevictable_pgs_mlocked == 1
expect /proc/vmstat:unevictable_pgs_culled == 1
check

# the next load finds its page cached: fault-around maps the 16 pages of its 64K block, all locked
a: x = load q+260K 1
expect /proc/a/status:RssFile == 64K
expect /proc/meminfo:Mlocked == 64K
expect /proc/meminfo:Unevictable == 64K
expect /proc/vmstat:unevictable_pgs_mlocked == 16
# locked pages survive drop_caches; the unmapped readahead pages go
echo 1 > /proc/sys/vm/drop_caches
expect /proc/meminfo:Cached == 64K
expect /proc/meminfo:Mlocked == 64K
check

# MAP_LOCKED populates the whole shared mapping: each page locked once more (mlock_count 2 for
# the 16 locked already), counted as mlocked only the first time
spawn b
b: m = mmap 1M r shared,locked file=/f
expect /proc/b/status:VmLck == 1M
expect /proc/b/status:RssFile == 1M
expect /proc/meminfo:Mlocked == 1M
expect /proc/meminfo:Unevictable == 1M
expect /proc/vmstat:unevictable_pgs_mlocked == 256
check

# b goes: the pages only b locked are munlocked and rescued, a's 16 stay locked
exit b
expect /proc/meminfo:Mlocked == 64K
expect /proc/meminfo:Unevictable == 64K
expect /proc/vmstat:unevictable_pgs_munlocked == 240
expect /proc/vmstat:unevictable_pgs_rescued == 240
exit a
expect /proc/meminfo:Mlocked == 0
expect /proc/meminfo:Unevictable == 0
check
