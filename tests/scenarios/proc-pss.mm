# Pss adds up: summed over every process, it is the memory they map (AnonPages + Shmem), less what
# each file's whole kB drop (pages shared three ways are 1365.33 bytes each); Rss sums the VMAs' Rss
# and equals the status VmRSS.
machine ram=64M seed=18
spawn a
a: p = mmap 64K rw private,anon
a: write p 40K fill=seq
a: s = mmap 16K rw shared,anon
a: write s 12K fill=seq
fork a b
fork b c
b: write p 8K fill=rand
c: write p+32K 8K fill=zero
c: x = load s+12K
pss = /proc/a/smaps_rollup:Pss + /proc/b/smaps_rollup:Pss + /proc/c/smaps_rollup:Pss
mapped = /proc/meminfo:AnonPages + /proc/meminfo:Shmem
expect pss <= mapped
expect pss >= mapped - 3K
expect /proc/a/smaps_rollup:Rss == /proc/a/status:VmRSS
expect /proc/c/smaps_rollup:Rss == /proc/c/status:VmRSS
expect /proc/c/smaps_rollup:Pss_Shmem * 3 == 12K
cat /proc/c/smaps_rollup
verify
