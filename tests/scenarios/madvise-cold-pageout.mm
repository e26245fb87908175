# MADV_COLD, MADV_PAGEOUT and MADV_WILLNEED (mm/madvise.c): COLD makes the range's pages old and moves
# the active ones to the inactive list (pgdeactivate); PAGEOUT reclaims them at once, whatever their
# references say (reclaim_pages): with swap they are written out (pswpout) and verify reads them from
# the swap area; without swap nothing can be written, and reclaim activates them instead (pgactivate).
# WILLNEED reads swapped pages back into the swap cache ahead of use, so that the faults that follow
# are minor. Pages another process maps too are left alone.
machine ram=64M seed=5 aslr=off
spawn a
a: buf = mmap 1M rw private,anon
a: write buf 1M fill=seq
expect /proc/a/smaps_rollup:Referenced == 1M
a: r = madvise buf 1M pageout
expect r == 0
expect /proc/vmstat:pgactivate == 256
expect /proc/meminfo:Active(anon) >= 1M
expect /proc/a/smaps_rollup:Referenced == 0
expect /proc/a/status:RssAnon == 1M
a: read buf 1M
expect /proc/a/smaps_rollup:Referenced == 1M
a: r = madvise buf 512K cold
expect r == 0
expect /proc/vmstat:pgdeactivate == 128
expect /proc/a/smaps_rollup:Referenced == 512K
# cold again: the inactive pages stay where they are
a: r = madvise buf 512K cold
expect /proc/vmstat:pgdeactivate == 128
check
mkswap /swapfile size=16M
swapon /swapfile
a: r = madvise buf 1M pageout
expect r == 0
expect /proc/vmstat:pswpout == 256
expect /proc/a/status:VmSwap == 1M
expect /proc/a/status:RssAnon == 0
verify
check
a: r = madvise buf 1M willneed
expect r == 0
expect /proc/vmstat:pswpin == 256
expect /proc/meminfo:SwapCached == 1M
expect /proc/a/status:VmSwap == 1M
majfault = /proc/vmstat:pgmajfault
a: read buf 1M
expect /proc/vmstat:pgmajfault == majfault
expect /proc/a/status:VmSwap == 0
expect /proc/a/status:RssAnon == 1M
verify
check
# shared since fork: neither COLD nor PAGEOUT touches a page another process maps
a: r = madvise buf 1M pageout
fork a b
b: read buf 1M
a: read buf 1M
out = /proc/vmstat:pswpout
a: r = madvise buf 1M pageout
expect r == 0
expect /proc/vmstat:pswpout == out
expect /proc/a/status:RssAnon == 1M
exit b
# alone again: reclaimed; the swap cache still held their clean copies, so nothing is written
a: r = madvise buf 1M pageout
expect /proc/a/status:RssAnon == 0
expect /proc/a/status:VmSwap == 1M
expect /proc/vmstat:pswpout == out
verify
check
# the kernel's refusals: locked and hugetlb memory is not the LRU's
a: l = mmap 64K rw private,anon
a: r = mlock l 64K
a: r = madvise l 64K cold
expect r == -EINVAL
a: r = madvise l 64K pageout
expect r == -EINVAL
echo 1 > /proc/sys/vm/nr_hugepages
a: h = mmap 2M rw private,anon,hugetlb
a: r = madvise h 2M pageout
expect r == -EINVAL
a: r = madvise h 2M cold
expect r == -EINVAL
a: r = madvise h 2M free
expect r == -EINVAL
# hugetlb takes DONTNEED from a huge-page-aligned start, its end rounded down to a huge page
a: write h 2M fill=seq
a: r = madvise h+4K 8K dontneed
expect r == -EINVAL
a: r = madvise h 1M dontneed
expect r == 0
expect /proc/meminfo:HugePages_Free == 0
a: r = madvise h 2M dontneed
expect r == 0
expect /proc/meminfo:HugePages_Free == 1
# a range over a hole (where l was, under buf: above buf are the vDSO's mappings): the mapped part
# is advised, then -ENOMEM
a: r = munmap l 64K
a: r = madvise buf-64K 1M+64K cold
expect r == -ENOMEM
a: r = madvise buf+1 4K cold
expect r == -EINVAL
a: r = madvise buf 0 cold
expect r == 0
check
