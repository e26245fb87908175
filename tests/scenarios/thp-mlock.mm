# mlock and transparent huge pages (mm/mlock.c mlock_pte_range, mm/huge_memory.c): a huge page
# mapped by a PMD is locked whole - PG_mlocked on the folio, 2048 kB of Mlocked, on the unevictable
# list - by mlock over it, and when it faults into a locked VMA; munlock, munmap and exit unlock
# it. A partial mlock cuts the VMA, which splits the PMD into PTEs: the folio, now only partly in
# the locked VMA, is left unlocked, as the kernel's allow_mlock_munlock leaves it.
machine ram=256M seed=1
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
mkswap /swapfile size=256M
swapon /swapfile
spawn a
a: p = mmap 4M rw private,anon
a: write p 4M fill=seq
expect /proc/meminfo:AnonHugePages == 4M
a: r = mlock p 4M
expect r == 0
expect /proc/meminfo:Mlocked == 4M
expect /proc/meminfo:Unevictable == 4M
expect /proc/meminfo:AnonHugePages == 4M
expect /proc/vmstat:unevictable_pgs_mlocked == 1024
expect /proc/a/smaps_rollup:Locked == 4M
check
a: r = munlock p 4M
expect /proc/meminfo:Mlocked == 0
expect /proc/meminfo:Unevictable == 0
expect /proc/vmstat:unevictable_pgs_munlocked == 1024
check
# faulted into a locked VMA: locked at once
a: q = mmap 4M rw private,anon
a: r = mlock q 4M
expect /proc/meminfo:AnonHugePages == 8M
expect /proc/meminfo:Mlocked == 4M
a: write q 4M fill=seq
# under pressure the locked huge pages stay; the unlocked ones go to swap
spawn hog
hog: h = mmap 240M rw private,anon
hog: write h 240M fill=seq
expect /proc/meminfo:Mlocked == 4M
expect /proc/a/smaps_rollup:Rss >= 4M
verify
check
# munmap of a locked huge page unlocks it
a: munmap q 2M
expect /proc/meminfo:Mlocked == 2M
check
# part of a huge page: the PMD is split and the folio left unlocked
exit hog
a: s = mmap 2M rw private,anon
huge = /proc/meminfo:AnonHugePages
a: write s 2M fill=seq
expect /proc/meminfo:AnonHugePages == huge + 2M
a: r = mlock s 1M
expect r == 0
expect /proc/meminfo:Mlocked == 2M
expect /proc/a/status:VmLck == 2M + 1M
expect /proc/meminfo:AnonHugePages == huge
check
verify
exit a
expect /proc/meminfo:Mlocked == 0
expect /proc/meminfo:Unevictable == 0
check
