# pagewalk: each level's index, entry and decoded flags, then the physical address, in the four
# paging modes: x86_64 4-level and 5-level (la57), i386 2-level and 3-level PAE. PageTables counts
# every table; VmPTE (mm_pgtables_bytes) the PUD, PMD and PTE tables only, not the PGD nor la57's P4D.
machine ram=64M seed=1 aslr=off
spawn a
a: p = mmap 8K rw private,anon
a: store p 1 1
a: x = load p+4K 1
pagewalk a p
pagewalk a p+4K
pagewalk a p+8K
expect /proc/meminfo:PageTables == 16K
expect /proc/a/status:VmPTE == 12K
machine ram=64M seed=1 aslr=off la57=1
spawn a
a: p = mmap 4K rwx private,anon
a: store p 1 1
pagewalk a p
expect /proc/meminfo:PageTables == 20K
expect /proc/a/status:VmPTE == 12K
machine ram=64M seed=1 aslr=off arch=i386
spawn a
a: p = mmap 4K rw private,anon
a: store p 1 1
pagewalk a p
expect /proc/meminfo:PageTables == 8K
expect /proc/a/status:VmPTE == 4K
machine ram=64M seed=1 aslr=off arch=i386 pae=1
spawn a
a: p = mmap 4K rw private,anon
a: store p 1 1
pagewalk a p
expect /proc/meminfo:PageTables == 12K
expect /proc/a/status:VmPTE == 8K
exit a
expect /proc/meminfo:PageTables == 0
