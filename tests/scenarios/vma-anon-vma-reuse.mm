# find_mergeable_anon_vma (mm/vma.c, from anon_vma_prepare in mm/rmap.c): the first anonymous fault
# of a VMA takes a neighbour's anon_vma when the two are adjacent, of the same file (none), at
# consecutive offsets, their flags apart only in access bits, and the neighbour's anon_vma is its
# only one; so pieces that mprotect split and that were faulted apart can merge back, which
# vma_merge allows only under one anon_vma. Each `maps` below is what the host's 6.18 shows for the
# same calls (a C program: mmap, mprotect, stores, /proc/self/maps).
machine ram=64M seed=3 aslr=off
spawn a
# three pages between two holes: rw- | rwx | rw-, the middle one written after the first
a: g = mmap 20K none private,anon
a: r = munmap g 4K
a: r = munmap g+16K 4K
q = g + 4K
a: r = mprotect q 12K rw
a: r = mprotect q+4K 4K rwx
a: store q 1 1
a: store q+4K 2 1
# the middle page took its left neighbour's anon_vma: mprotect back merges all three
a: r = mprotect q+4K 4K rw
echo "rw- | rwx | rw-, back to rw-: one VMA"
cat /proc/a/maps
expect /proc/a/smaps_rollup:Anonymous == 8K

# three pages under a read-only neighbour: rw- | r-- | rw-, both ends written; neither end has a
# neighbour with an anon_vma to share, so each gets its own, and the middle merges with one side
a: h = mmap 28K none private,anon
a: r = mprotect h+4K 4K r
s = h + 8K
a: r = mprotect s 12K rw
a: r = mprotect s+4K 4K r
a: store s 1 1
a: store s+8K 3 1
a: r = mprotect s+4K 4K rw
echo "rw- | r-- | rw-, both ends written, back to rw-: two VMAs"
cat /proc/a/maps

# after a fork, the child's VMA links its parent's anon_vma too: a new neighbour faulted next to it
# does not share (reusable_anon_vma wants a VMA whose only anon_vma is its own), so in the child
# the two stay apart; the parent's VMA still has only its own, and there they merge
a: k = mmap 20K none private,anon
u = k + 4K
a: r = mprotect u 12K rw
a: store u 1 1
a: store u+8K 2 1
fork a b
b: t = mmap 4K rwx private,anon,fixed addr=k
b: store t 5 1
b: r = mprotect t 4K rw
echo "the child: two VMAs"
cat /proc/b/maps
a: t = mmap 4K rwx private,anon,fixed addr=k
a: store t 5 1
a: r = mprotect t 4K rw
echo "the parent: one VMA"
cat /proc/a/maps
verify
check
