# The reverse map: from a page frame to every process and address that maps it. A page faulted
# before two forks is found in all three processes, through the anon_vma chains; after a COW copy
# each copy is found in its writer alone. machine_check (--check) runs the reverse map for every
# mapped page after each command.
machine ram=64M seed=16 aslr=off
spawn a
a: p = mmap 16K rw private,anon
a: store p+4K 7 1
fork a b
fork b c
phys = pagewalk a p+4K
n = rmap phys / 4K
expect n == 3
c: store p+4K 8 1
n = rmap phys / 4K
expect n == 2
cphys = pagewalk c p+4K
n = rmap cphys / 4K
expect n == 1
# split VMAs still find their pages: mprotect the page's neighbourhood in b
b: r = mprotect p 8K r
n = rmap phys / 4K
expect n == 2
exit a
n = rmap phys / 4K
expect n == 1
# shared memory: the object's pages are found in every mapping
b: s = mmap 4K rw shared,anon
b: store s 1 1
fork b d
d: x = load s 1
sphys = pagewalk d s
n = rmap sphys / 4K
expect n == 2
n = rmap 0
expect n == 0
