# fork and transparent huge pages (mm/huge_memory.c copy_huge_pmd, do_huge_pmd_wp_page): the child
# maps the parent's huge pages with PMDs of its own, both write-protected; a write to a huge page
# that is shared splits that process's PMD and copies the one 4K page (thp_split_pmd), while the
# other keeps its PMD. A huge page whose only user writes is reused. Every byte is verified.
machine ram=128M seed=13 aslr=off
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: p = mmap 8M rw private,anon
a: write p 8M fill=seq
expect /proc/meminfo:AnonHugePages == 8M
fork a b
expect /proc/meminfo:AnonHugePages == 8M
expect /proc/b/smaps_rollup:AnonHugePages == 8M
expect /proc/b/smaps_rollup:Pss == 4M
expect /proc/b/smaps_rollup:Shared_Dirty == 8M
expect /proc/meminfo:PageTables >= 32K
pagemap b p 4K
check
# the child writes 4K of the first huge page: its PMD is split, the 4K copied
b: write p+8K 4K fill=0x42
expect /proc/vmstat:thp_split_pmd == 1
expect /proc/b/smaps_rollup:AnonHugePages == 6M
expect /proc/a/smaps_rollup:AnonHugePages == 8M
expect /proc/meminfo:AnonHugePages == 8M
b: x = load p+8K 1
expect x == 0x42
a: y = load p+8K 1
expect y != 0x42
check
verify
# the child exits: the parent's PMDs are its only users again, and its writes reuse them
exit b
expect /proc/meminfo:AnonHugePages == 8M
a: write p+2M 2M fill=0x17
expect /proc/vmstat:thp_split_pmd == 1
expect /proc/meminfo:AnonHugePages == 8M
check
verify
# a read-only mapping's huge zero page is shared across fork too
a: z = mmap 2M r private,anon
a: read z 2M
fork a c
c: v = load z+4K
expect v == 0
pagewalk c z
check
exit c
exit a
expect /proc/meminfo:AnonPages == 0
expect /proc/meminfo:PageTables == 0
check
