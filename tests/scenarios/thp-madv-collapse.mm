# MADV_COLLAPSE (mm/khugepaged.c madvise_collapse): the range's PMD ranges collapsed at once, in the
# calling task, whatever the sysfs setting and khugepaged's limits (an empty or fully shared range
# collapses too); pages_collapsed counts only khugepaged's. Errors: -EINVAL for a VMA with
# MADV_NOHUGEPAGE or one too small for a huge page; a range holding no whole PMD range is 0.
machine ram=128M seed=11 aslr=off
echo "never" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: p = mmap 6M rw private,anon
a: write p 4K fill=seq
a: write p+2M 2M fill=seq
a: write p+5M 64K fill=seq
fork a b
trace mm_khugepaged_scan_pmd,mm_collapse_huge_page
a: r = madvise p 6M collapse
trace off
expect r == 0
expect /proc/meminfo:AnonHugePages == 6M
expect /proc/a/smaps_rollup:AnonHugePages == 6M
expect /proc/vmstat:thp_collapse_alloc == 3
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed == 0
expect /proc/a/status:RssAnon == 6M
a: z = load p+8K
expect z == 0
check
verify
# collapsing again: nothing to do
a: r = madvise p 6M collapse
expect r == 0
expect /proc/vmstat:thp_collapse_alloc == 3
# the child's pages are its own still
b: r = madvise p+2M 1M collapse
expect r == 0
expect /proc/b/smaps_rollup:AnonHugePages == 0
b: r = madvise p 2M nohugepage
b: r = madvise p 2M collapse
expect r == -EINVAL
b: s = mmap 1M rw private,anon
b: r = madvise s 1M collapse
expect r == -EINVAL
check
verify
