# MADV_FREE (mm/madvise.c madvise_free_single_vma, mm/swap.c lru_lazyfree): the pages of the range
# are made clean, lose their swap slots and move to the inactive file list, no longer swap-backed
# (pglazyfree, LazyFree in smaps). Reclaim drops a clean one without writing it anywhere (pglazyfreed:
# no swap is needed), and the range then reads zeros; a page written again is dirty in its PTE, so
# reclaim keeps it, swap-backed again, with the bytes written.
machine ram=64M seed=3 aslr=off
spawn a
a: buf = mmap 1M rw private,anon
a: write buf 1M fill=seq
expect /proc/meminfo:Inactive(anon) >= 1M
a: r = madvise buf 1M free
expect r == 0
expect /proc/vmstat:pglazyfree == 256
expect /proc/a/smaps_rollup:LazyFree == 1M
expect /proc/meminfo:Inactive(file) >= 1M
expect /proc/a/status:RssAnon == 1M
# the second half is written again: dirty in the PTE, no longer lazily freed in smaps
a: write buf+512K 512K fill=seq
expect /proc/a/smaps_rollup:LazyFree == 512K
# reclaim the range now: the clean half is dropped, the written half stays, swap-backed again
a: r = madvise buf 1M pageout
expect r == 0
expect /proc/vmstat:pglazyfreed == 128
expect /proc/vmstat:pswpout == 0
expect /proc/a/status:RssAnon == 512K
expect /proc/a/smaps_rollup:LazyFree == 0
a: x = load buf 1
a: y = load buf+512K-1 1
expect x == 0
expect y == 0
verify
check
# under memory pressure without swap, kswapd and direct reclaim find lazily freed pages on the file
# list and drop them; the hog never runs out
a: big = mmap 24M rw private,anon
a: write big 24M fill=seq
a: r = madvise big 24M free
spawn hog
hog: h = mmap 48M rw private,anon
hog: write h 48M fill=seq
expect /proc/vmstat:pglazyfreed > 1024
expect /proc/vmstat:oom_kill == 0
verify
check
# FREE is for private anonymous memory: shared memory is -EINVAL, a locked range too
a: s = mmap 64K rw shared,anon
a: r = madvise s 64K free
expect r == -EINVAL
a: l = mmap 64K rw private,anon
a: r = mlock l 64K
a: r = madvise l 64K free
expect r == -EINVAL
a: r = madvise l 64K dontneed
expect r == -EINVAL
# a swapped page's slot is freed by FREE: the PTE goes, and a read then sees zeros
exit hog
mkswap /swapfile size=16M
swapon /swapfile
spawn c
c: p = mmap 256K rw private,anon
c: write p 256K fill=seq
c: r = madvise p 256K pageout
expect /proc/c/status:VmSwap == 256K
expect /proc/meminfo:SwapFree == /proc/meminfo:SwapTotal - 256K
c: r = madvise p 128K free
expect r == 0
expect /proc/c/status:VmSwap == 128K
expect /proc/meminfo:SwapFree == /proc/meminfo:SwapTotal - 128K
c: x = load p 1
expect x == 0
verify
check
