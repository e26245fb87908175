# Splitting a block for a small request and merging it back on free, seen in buddyinfo.
machine ram=32M
cat /proc/buddyinfo
before = /proc/vmstat:nr_free_pages
a = alloc_pages 4
b = alloc_pages 4
c = alloc_pages 6
cat /proc/buddyinfo
expect /proc/vmstat:nr_free_pages == before - 16 - 16 - 64
# a and b are buddies: the second took the half the first split off (struct page is 56 bytes).
expect b - a == 16 * 56
free_pages a 4
cat /proc/buddyinfo
free_pages b 4
free_pages c 6
cat /proc/buddyinfo
expect /proc/vmstat:nr_free_pages == before
