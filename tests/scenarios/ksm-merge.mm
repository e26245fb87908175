# KSM: 16 identical pages of one process become one KSM page (pages_shared 1, pages_sharing 15)
# after two full scans (the first only records checksums); a write copies one page back out
# (cow_ksm), with the right bytes on both sides; the counters, ksm_stat, smaps and general_profit
# follow.
machine ram=64M seed=1 aslr=off
spawn a
a: buf = mmap 64K rw private,anon
a: write buf 64K fill=0x5a
a: r = madvise buf 64K mergeable
expect r == 0
cat /proc/a/ksm_stat
echo 1 > /sys/kernel/mm/ksm/run
# ksmd scans 100 pages every 20 ms: its first batch runs at once, the second 20 ms later.
tick 1ms
expect /sys/kernel/mm/ksm/full_scans == 1
expect /sys/kernel/mm/ksm/pages_shared == 0
expect /sys/kernel/mm/ksm/pages_volatile == 16
tick 20ms
expect /sys/kernel/mm/ksm/full_scans == 2
expect /sys/kernel/mm/ksm/pages_shared == 1
expect /sys/kernel/mm/ksm/pages_sharing == 15
expect /sys/kernel/mm/ksm/pages_unshared == 0
expect /sys/kernel/mm/ksm/pages_volatile == 0
expect /sys/kernel/mm/ksm/pages_scanned == 32
expect /proc/a/ksm_merging_pages == 16
expect /proc/a/status:RssAnon == 64K
expect /proc/meminfo:AnonPages == 4K
# general_profit: 15 pages saved, less 16 rmap_items of 64 bytes
expect /sys/kernel/mm/ksm/general_profit == 15 * 4096 - 16 * 64
# ksm_process_profit counts every merged page of the process, the first too
expect /proc/a/ksm_stat:ksm_process_profit == 16 * 4096 - 16 * 64
cat /proc/a/ksm_stat
expect /proc/a/smaps_rollup:KSM == 64K
expect /proc/a/smaps_rollup:Shared_Dirty == 64K
cat /proc/a/smaps_rollup
# One page is written: do_wp_page copies it (a KSM page is never reused in place).
a: store buf+4K 0x11 1
expect /proc/vmstat:cow_ksm == 1
expect /proc/meminfo:AnonPages == 8K
a: x = load buf+4K 1
a: y = load buf+4K+1 1
a: z = load buf+8K 1
expect x == 0x11
expect y == 0x5a
expect z == 0x5a
# Its rmap_item leaves the stable tree at the next scan of that address.
tick 20ms
expect /sys/kernel/mm/ksm/pages_sharing == 14
expect /proc/a/ksm_merging_pages == 15
cat /sys/kernel/mm/ksm/pages_sharing
