# Mlocked pages are unevictable (mm/mlock.c): mlock moves the pages it maps to the unevictable LRU
# (Mlocked, Unevictable, nr_mlock, unevictable_pgs_mlocked and _culled); pages faulted into a
# locked VMA go there at once; munlock brings them back (_munlocked, _rescued); munmap and exit
# unlock. MLOCK_ONFAULT and MCL_ONFAULT lock pages as they are touched. Reclaim swaps out other
# memory and never a locked page.
machine ram=64M seed=3 aslr=off
mkswap /swapfile size=128M
swapon /swapfile
spawn a
a: p = mmap 1M rw private,anon
a: write p 1M fill=seq
expect /proc/meminfo:Unevictable == 0
a: r = mlock p 512K
expect r == 0
expect /proc/meminfo:Mlocked == 512K
expect /proc/meminfo:Unevictable == 512K
expect /proc/vmstat:nr_mlock == 128
expect /proc/vmstat:nr_unevictable == 128
expect /proc/vmstat:unevictable_pgs_mlocked == 128
expect /proc/vmstat:unevictable_pgs_culled == 128
expect /proc/a/status:VmLck == 512K
expect /proc/a/smaps_rollup:Locked == 512K
# locking again changes nothing
a: r = mlock p 512K
expect /proc/vmstat:unevictable_pgs_mlocked == 128
a: r = munlock p 256K
expect /proc/meminfo:Mlocked == 256K
expect /proc/vmstat:unevictable_pgs_munlocked == 64
expect /proc/vmstat:unevictable_pgs_rescued == 64
expect /proc/meminfo:Unevictable == 256K

# on fault: nothing is populated; each touched page is locked as it comes in
a: q = mmap 64K rw private,anon
a: r = mlock q 64K onfault
expect /proc/a/status:VmLck == 256K + 64K
expect /proc/a/status:RssAnon == 1M
a: write q 16K fill=seq
expect /proc/meminfo:Mlocked == 256K + 16K
a: r = munmap q 64K
expect /proc/meminfo:Mlocked == 256K
expect /proc/vmstat:unevictable_pgs_munlocked == 64 + 4

# a locked page copied on write: the copy is locked, the original no longer
fork a child
a: write p 4K fill=seq
expect /proc/meminfo:Mlocked == 256K
exit child

a: r = mlockall onfault
expect r == -EINVAL
a: r = mlockall future,onfault
a: s = mmap 64K rw private,anon
expect /proc/a/status:RssAnon == 1M
a: store s 1 1
expect /proc/meminfo:Mlocked == 256K + 4K
a: r = munlockall
expect /proc/meminfo:Mlocked == 0
expect /proc/meminfo:Unevictable == 0

# under pressure: 1M stays locked in memory while b's 96M goes through swap
a: r = munmap s 64K
a: r = mlock p 1M
spawn b
b: big = mmap 96M rw private,anon
b: write big 96M fill=seq
expect /proc/vmstat:pswpout > 0
expect /proc/b/status:VmSwap > 0
expect /proc/a/status:VmSwap == 0
expect /proc/a/status:RssAnon == 1M
expect /proc/meminfo:Mlocked == 1M
verify
exit a
expect /proc/meminfo:Mlocked == 0
expect /proc/meminfo:Unevictable == 0
expect /proc/vmstat:unevictable_pgs_cleared == 0

# a shared page locked by two processes stays locked until both unlock it (its mlock_count)
spawn c
c: sh = mmap 8K rw shared,anon
c: write sh 8K fill=seq
fork c d
c: r = mlock sh 8K
d: r = mlock sh 8K
expect /proc/meminfo:Mlocked == 8K
expect /proc/c/smaps_rollup:Locked == 4K
c: r = munlock sh 8K
expect /proc/meminfo:Mlocked == 8K
d: r = munlock sh 8K
expect /proc/meminfo:Mlocked == 0
expect /proc/meminfo:Unevictable == 0
verify
