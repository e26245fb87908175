# Fault-around (mm/memory.c do_fault_around, mm/filemap.c filemap_map_pages): a read fault on a
# file mapping first maps every cached page of the fault_around_bytes-aligned block around it
# (64 KiB: 16 pages), so a second process scanning a cached 1 MiB file faults once per 64 KiB
# block, not once per page; pgfault drops as on the host. fault_around_bytes is rounded down to a
# power of two and is at most a page table's span; a page or less turns fault-around off. A
# store faults alone (no fault-around for write faults).
machine ram=128M seed=5
truncate /fa size=1M
spawn a
a: m = mmap 1M r private file=/fa
a: read m 1M
expect /proc/meminfo:Cached == 1M
expect /sys/kernel/debug/fault_around_bytes == 65536

# a second mapping of the cached file: one fault per 64 KiB block the mapping spans
spawn b
b: q = mmap 1M r private file=/fa
f = /proc/vmstat:pgfault
j = /proc/vmstat:pgmajfault
b: read q 1M
expect /proc/vmstat:pgfault == f + (q + 1M - 1) / 64K - q / 64K + 1
expect /proc/vmstat:pgmajfault == j
expect /proc/b/status:RssFile == 1M

# fault-around off (a page or less): one minor fault per page
echo 4096 > /sys/kernel/debug/fault_around_bytes
expect /sys/kernel/debug/fault_around_bytes == 4096
spawn c
c: q = mmap 1M r private file=/fa
f = /proc/vmstat:pgfault
c: read q 1M
expect /proc/vmstat:pgfault == f + 256

# rounded down to a power of two: 100000 bytes are 16 pages
echo 100000 > /sys/kernel/debug/fault_around_bytes
expect /sys/kernel/debug/fault_around_bytes == 65536
echo 2M > /sys/kernel/debug/fault_around_bytes
expect /sys/kernel/debug/fault_around_bytes == 2M

# a write fault maps its page alone: the pages around it stay unmapped
spawn d
d: p = mmap 1M rw private file=/fa
d: store p+100K 1 1
expect /proc/d/status:RssFile == 0
expect /proc/d/status:RssAnon == 4K
# the mapping's end bounds the block: a 12K mapping maps 3 pages
spawn e
e: p = mmap 12K r private file=/fa offset=512K
e: x = load p+4K 1
expect /proc/e/status:RssFile == 12K
verify
