# use_zero_pages: empty pages are merged with the zero page rather than with each other: their
# PTEs map the zero page, marked dirty (is_ksm_zero_pte), they leave the process's RSS, and
# ksm_zero_pages counts them; a write faults a fresh zeroed page in and the count drops.
machine ram=64M seed=5 aslr=off
spawn a
a: buf = mmap 256K rw private,anon
a: write buf 256K fill=zero
a: r = madvise buf 256K mergeable
echo 1 > /sys/kernel/mm/ksm/use_zero_pages
expect /sys/kernel/mm/ksm/use_zero_pages == 1
echo 1 > /sys/kernel/mm/ksm/run
tick 21ms
expect /sys/kernel/mm/ksm/ksm_zero_pages == 64
expect /proc/a/ksm_stat:ksm_zero_pages == 64
expect /sys/kernel/mm/ksm/pages_shared == 0
expect /proc/a/status:RssAnon == 0
expect /proc/meminfo:AnonPages == 0
# general_profit: 64 pages saved, less 64 rmap_items
expect /sys/kernel/mm/ksm/general_profit == 64 * 4096 - 64 * 64
pagewalk a buf
a: x = load buf+8K 8
expect x == 0
a: store buf+8K 0x42 1
a: x = load buf+8K 1
expect x == 0x42
expect /sys/kernel/mm/ksm/ksm_zero_pages == 63
expect /proc/a/status:RssAnon == 4K
# A fork maps the KSM zero pages too, and counts them; munmap and exit uncount them.
fork a b
expect /proc/b/ksm_stat:ksm_zero_pages == 63
expect /sys/kernel/mm/ksm/ksm_zero_pages == 126
# its first 128K held 31 of them (page 2 was written)
b: r = munmap buf 128K
expect /proc/b/ksm_stat:ksm_zero_pages == 32
exit b
expect /sys/kernel/mm/ksm/ksm_zero_pages == 63
# Without use_zero_pages, empty pages merge like any others: one KSM page of zeros.
spawn c
c: cbuf = mmap 64K rw private,anon
c: write cbuf 64K fill=zero
c: r = madvise cbuf 64K mergeable
echo 0 > /sys/kernel/mm/ksm/use_zero_pages
tick 40ms
expect /sys/kernel/mm/ksm/pages_shared == 1
expect /sys/kernel/mm/ksm/pages_sharing == 15
expect /sys/kernel/mm/ksm/ksm_zero_pages == 63
# Unmerging the zero pages gives a's range its own zeroed pages back.
a: r = madvise buf 256K unmergeable
expect r == 0
expect /sys/kernel/mm/ksm/ksm_zero_pages == 0
expect /proc/a/status:RssAnon == 256K
a: x = load buf+100K 8
expect x == 0
