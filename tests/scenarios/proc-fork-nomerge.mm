# A VMA the child inherited with faulted pages keeps its anon_vma chain to the parent's pages: a
# new neighbour does not merge with it, while an untouched one merges as usual.
machine ram=64M seed=11 aslr=off
spawn a
# room above p, clear of the vDSO's mappings at the top
a: room = mmap 32K none private,anon
a: p = mmap 16K rw private,anon
a: r = munmap room 32K
a: q = mmap 16K rw private,anon,fixed addr=p-32K
a: store p 1 1
fork a b
b: n1 = mmap 16K rw private,anon,fixed addr=p+16K
b: n2 = mmap 16K rw private,anon,fixed addr=q+16K
expect n1 == p + 16K
expect n2 == q + 16K
cat /proc/b/maps
