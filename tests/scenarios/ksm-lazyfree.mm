# A KSM page that MADV_FREE made lazily freeable (its only mapping advised it) may be dropped by
# reclaim without being written out: ksmd merges no other mapping into it, or their bytes would go
# with it. c's pages of the same content stay its own, and survive the pressure that drops a's.
machine ram=32M seed=12 aslr=off
mkswap /swapfile size=64M
swapon /swapfile
spawn a
spawn b
# buf at the same address in every process, under the vDSO: 256 pages of seq bytes there hold
# 129 distinct contents, two of them only once
a: buf = mmap 1M rw private,anon addr=0x7ffff7dff000
b: buf = mmap 1M rw private,anon addr=0x7ffff7dff000
a: write buf 1M fill=seq
b: write buf 1M fill=seq
a: r = madvise buf 1M mergeable
b: r = madvise buf 1M mergeable
echo 1000 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
tick 40ms
expect /sys/kernel/mm/ksm/pages_shared == 129
# b goes: two contents a held only once are now KSM pages mapped by a alone, which MADV_FREE takes.
b: r = munmap buf 1M
tick 40ms
a: r = madvise buf 1M free
expect r == 0
expect /proc/vmstat:pglazyfree == 2
spawn c
c: cbuf = mmap 1M rw private,anon addr=0x7ffff7dff000
c: write cbuf 1M fill=seq
c: r = madvise cbuf 1M mergeable
tick 40ms
expect /sys/kernel/mm/ksm/pages_sharing == 381
spawn hog
hog: h = mmap 40M rw private,anon
hog: write h 40M fill=seq
expect /proc/vmstat:pglazyfreed == 2
verify
