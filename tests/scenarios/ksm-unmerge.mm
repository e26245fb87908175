# Unmerging: MADV_UNMERGEABLE breaks every KSM page of the range (each mapping gets its own copy,
# the VMA loses VM_MERGEABLE), mremap breaks them before moving a range, and `echo 2 > run`
# unmerges everything and frees every rmap_item. The bytes stay right throughout. The 256 pages of
# seq bytes at these addresses hold 129 distinct contents.
machine ram=64M seed=4 aslr=off
spawn a
spawn b
# buf at the same address in every process, under the vDSO: 256 pages of seq bytes there hold
# 129 distinct contents, two of them only once
a: buf = mmap 1M rw private,anon addr=0x7ffff7dff000
b: buf = mmap 1M rw private,anon addr=0x7ffff7dff000
a: write buf 1M fill=seq
b: write buf 1M fill=seq
a: r = madvise buf 1M mergeable
b: r = madvise buf 1M mergeable
echo 1000 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
tick 40ms
expect /sys/kernel/mm/ksm/pages_shared == 129
expect /sys/kernel/mm/ksm/pages_sharing == 512 - 129
expect /proc/meminfo:AnonPages == 129 * 4K
# a's second half is no longer mergeable: its 128 pages get copies of their own at once (an
# unsharing fault: copied, counted in cow_ksm, not made writable).
a: r = madvise buf+512K 512K unmergeable
expect r == 0
expect /proc/meminfo:AnonPages == (129 + 128) * 4K
expect /proc/a/smaps_rollup:KSM == 512K
expect /proc/vmstat:cow_ksm == 128
verify
# Unmergeable memory is not scanned any more: its items go at the next scan.
tick 40ms
expect /proc/a/ksm_merging_pages == 128
expect /sys/kernel/mm/ksm/pages_sharing == 384 - 129
# An UNMERGEABLE range that is not mergeable is left alone.
a: r = madvise buf+512K 512K unmergeable
expect r == 0
# mremap of a mergeable range: its KSM pages are broken first, then the range moves.
b: nb = mremap buf 256K 512K maymove
expect nb != buf
expect /proc/b/smaps_rollup:KSM == 768K
verify
# run=2: every KSM page unmerged, every rmap_item freed, full_scans back to 0; ksmd stops.
echo 2 > /sys/kernel/mm/ksm/run
expect /sys/kernel/mm/ksm/pages_shared == 0
expect /sys/kernel/mm/ksm/pages_sharing == 0
expect /sys/kernel/mm/ksm/full_scans == 0
expect /proc/a/ksm_stat:ksm_rmap_items == 0
expect /proc/b/ksm_stat:ksm_rmap_items == 0
expect /proc/a/smaps_rollup:KSM == 0
expect /proc/b/smaps_rollup:KSM == 0
expect /proc/meminfo:AnonPages == 2M
tick 100ms
expect /sys/kernel/mm/ksm/full_scans == 0
verify
# Merging starts again with run=1.
echo 1 > /sys/kernel/mm/ksm/run
# The 384 mergeable pages left (a's first half, b's) hold 129 contents, one of them only once.
tick 40ms
expect /sys/kernel/mm/ksm/pages_shared == 128
expect /sys/kernel/mm/ksm/pages_sharing == 383 - 128
verify
