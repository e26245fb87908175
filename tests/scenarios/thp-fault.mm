# Transparent huge pages (mm/huge_memory.c): the sysfs policy in the kernel's formats; a write fault
# in a mapping that covers a whole 2 MiB-aligned range gets a PMD-mapped huge page when enabled is
# always, or madvise with MADV_HUGEPAGE, and never otherwise; a read fault maps the huge zero page.
# AnonHugePages in meminfo and smaps, nr_anon_transparent_hugepages, THPeligible, pagewalk's PSE
# entry and pagemap's per-4K frames show it.
machine ram=128M seed=3 aslr=off
cat /sys/kernel/mm/transparent_hugepage/enabled
cat /sys/kernel/mm/transparent_hugepage/defrag
cat /sys/kernel/mm/transparent_hugepage/use_zero_page
cat /sys/kernel/mm/transparent_hugepage/hpage_pmd_size
cat /sys/kernel/mm/transparent_hugepage/shmem_enabled
spawn a
# a mapping of a multiple of 2M is placed on a 2M boundary (__get_unmapped_area)
a: p = mmap 8M rw private,anon
expect p / 2M * 2M == p
# madvise mode without advice: small pages
a: write p 2M fill=seq
expect /proc/meminfo:AnonHugePages == 0
expect /proc/a/smaps_rollup:AnonHugePages == 0
# with MADV_HUGEPAGE: a huge page
a: madvise p+2M 2M hugepage
a: write p+2M 2M fill=seq
expect /proc/meminfo:AnonHugePages == 2M
expect /proc/vmstat:nr_anon_transparent_hugepages == 1
expect /proc/vmstat:thp_fault_alloc == 1
pagewalk a p+2M+12K
pagemap a p+2M 8K
# always: every aligned range; never: none
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
cat /sys/kernel/mm/transparent_hugepage/enabled
a: write p+4M 2M fill=seq
expect /proc/meminfo:AnonHugePages == 4M
echo "never" > /sys/kernel/mm/transparent_hugepage/enabled
a: write p+6M 2M fill=seq
expect /proc/meminfo:AnonHugePages == 4M
expect /proc/a/smaps_rollup:AnonHugePages == 4M
expect /proc/a/status:RssAnon == 8M
expect /proc/meminfo:AnonPages == 8M
check
verify
# MADV_NOHUGEPAGE wins over always
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
a: q = mmap 4M rw private,anon
a: madvise q 4M nohugepage
a: write q 4M fill=seq
expect /proc/meminfo:AnonHugePages == 4M
# a read fault maps the huge zero page; the first write replaces it with a huge page
a: z = mmap 2M r private,anon
a: v = load z+100
expect v == 0
expect /proc/vmstat:thp_zero_page_alloc == 1
expect /proc/meminfo:AnonHugePages == 4M
pagewalk a z
a: mprotect z 2M rw
a: store z+100 7 1
expect /proc/meminfo:AnonHugePages == 6M
a: w = load z+100 1
expect w == 7
check
verify
# THPeligible: anonymous mappings holding an aligned 2M range while enabled allows
a: s = mmap 1M rw private,anon
cat /proc/a/smaps
echo "madvise" > /sys/kernel/mm/transparent_hugepage/enabled
# exit frees every huge page
exit a
expect /proc/meminfo:AnonHugePages == 0
expect /proc/meminfo:AnonPages == 0
expect /proc/meminfo:PageTables == 0
check
