# Lesson: address translation (seed 1.1, 3.1): the MMU walks the page tables, PGD to PTE; the TLB
# caches the result; tables are pages too, allocated as a process touches new regions.

machine ram=64M seed=1 aslr=off
echo "x86_64 translates a 48-bit virtual address with four levels of 512-entry tables: bits"
echo "47-39 index the PGD, 38-30 the PUD, 29-21 the PMD, 20-12 the PTE; bits 11-0 are the"
echo "offset in the 4 KiB page. Each entry holds a frame number and flags: P(resent), RW, U(ser),"
echo "A(ccessed), D(irty), NX (no execute)."
spawn a
a: p = mmap 4K rw private,anon
a: store p 0x2a 1
pagewalk a p
echo "Four table pages: PageTables counts them all, the process's VmPTE all but the PGD (as"
echo "mm_pgtables_bytes counts only PUD, PMD and PTE tables)."
expect /proc/meminfo:PageTables == 16K
expect /proc/a/status:VmPTE == 12K

echo ""
echo "A read of a page never touched maps the shared zero page, read-only (no RW bit):"
a: q = mmap 4K rw private,anon
a: x = load q
pagewalk a q
echo "The next write faults again, and the kernel gives the page a frame of its own:"
a: store q 1 1
pagewalk a q

echo ""
echo "== Tables are pages =="
echo "A mapping 1 GiB away needs a new PUD entry, hence a new PMD and PTE table: three pages."
before = /proc/meminfo:PageTables
a: far = mmap 4K rw private,anon,fixed addr=0x500000000000
a: store far 1 1
expect /proc/meminfo:PageTables == before + 12K
echo "PageTables in /proc/meminfo:" before / 1K "kB before," /proc/meminfo:PageTables / 1K "kB after"
pagewalk a far
echo "Unmapping it frees the tables no other mapping needs:"
a: r = munmap far 4K
expect /proc/meminfo:PageTables == before
echo "PageTables:" /proc/meminfo:PageTables / 1K "kB"

echo ""
echo "== The kernel half =="
echo "The upper half of every address space is the kernel's: the top entries of each process's"
echo "PGD are copies of the kernel's own (swapper_pg_dir), so all processes share the same"
echo "kernel tables. All of RAM is mapped at PAGE_OFFSET (0xffff888000000000), the direct map:"
echo "here the first MiB in 4 KiB pages, the rest in 2 MiB pages (PSE), Global (kept in the TLB"
echo "across process switches), NX, and without the U bit: user code may not touch it. (The"
echo "entries above the leaf do have U, as in the kernel: the leaf alone decides.)"
pagewalk a 0xffff888000000000 + 0x123456
pagewalk a 0xffff888000000000 + 0x2345678
echo "The kernel's code is mapped once more at 0xffffffff80000000 + its physical address:"
pagewalk a 0xffffffff81000000
echo "The kernel's tables were built at boot and are not PageTables: the only ones are still the"
echo "process's own, its PGD and the tables VmPTE counts."
expect /proc/meminfo:PageTables == /proc/a/status:VmPTE + 4K
echo "A user access to the kernel half faults on the missing U bit, and the process dies:"
expect signal SIGSEGV a: x = load 0xffff888000123456 1

echo ""
echo "== Other formats =="
echo "5-level paging (la57) adds a P4D level for 57-bit addresses:"
machine ram=64M seed=1 aslr=off la57=1
spawn a
a: p = mmap 4K rw private,anon
a: store p 1 1
pagewalk a p
echo "i386 has two levels of 1024 4-byte entries (10 + 10 + 12 bits) and no NX bit:"
machine ram=64M seed=1 aslr=off arch=i386
spawn a
a: p = mmap 4K rw private,anon
a: store p 1 1
pagewalk a p
echo ""
echo "== Why HighMem existed =="
echo "An i386 kernel maps only 896 MiB of RAM permanently (3 GiB of every address space are the"
echo "process's). On a 2 GiB machine a process's pages come from HighMem, above that line"
echo "(GFP_HIGHUSER): the kernel reaches them only through a temporary kmap. Its page tables,"
echo "which the kernel must always reach, come from lowmem (GFP_KERNEL)."
machine ram=2G seed=1 aslr=off arch=i386
spawn a
a: p = mmap 4K rw private,anon
a: store p 1 1
phys = pagewalk a p
expect phys >= 896M
echo "The kernel's half starts at 0xc0000000 and maps lowmem directly, in 4 MiB pages: a"
echo "GFP_KERNEL page is at 0xc0000000 + its physical address, and kmap just returns that:"
t = alloc_pages 0 gfp=GFP_KERNEL
kt = kmap t
pagewalk a kt
echo "A HighMem page has no kernel address until kmap lends it one of 1024 slots of the pkmap"
echo "area (at 0xff800000); kunmap gives it back, and the slot is reused when kmap wraps around."
h = alloc_pages 0 gfp=GFP_HIGHUSER
kh = kmap h
pagewalk a kh
expect kh >= 0xff800000
r = kunmap h
expect r == 0
free_pages h 0
free_pages t 0
echo "PAE gives i386 8-byte entries (NX, frames above 4 GiB) in three levels: 2 + 9 + 9 + 12 bits."
machine ram=64M seed=1 aslr=off arch=i386 pae=1
spawn a
a: p = mmap 4K rw private,anon
a: store p 1 1
pagewalk a p
verify
echo ""
echo "== Huge pages: a leaf above the PTE level =="
echo "An entry of the PMD level with PSE set maps 2 MiB itself, and one of the PUD level 1 GiB: the walk"
echo "stops there, one table level (or two) sooner, and one TLB entry covers the whole page. hugetlb"
echo "pools hold such pages; a 1 GiB one is bigger than any buddy block, so alloc_contig_pages takes a"
echo "whole free gigabyte (migrating movable pages out of the way)."
machine ram=3G seed=1 aslr=off
echo 1 > /proc/sys/vm/nr_hugepages
echo 1 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
echo "1 GiB pages in the pool:" /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
spawn a
a: m = mmap 2M rw private,anon,hugetlb
a: g = mmap 1G rw private,anon,hugetlb,huge_1gb
a: store m+4K 1 1
a: store g+512M 1 1
pagewalk a m+4K
pagewalk a g+512M
expect /proc/a/status:HugetlbPages == 1G + 2M
echo "Loads anywhere in the gigabyte hit the one 1G TLB entry:"
a: x = load g+1 1
a: y = load g+1G-1 1
tlb
verify
