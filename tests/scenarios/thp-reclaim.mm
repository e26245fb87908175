# Reclaim of transparent huge pages (mm/vmscan.c shrink_folio_list): a huge folio sits on the LRU as
# one entry counted as 512 pages; to reclaim it, it is split into 512 small pages (thp_split_page,
# the kernel without THP swap-out) which go to swap one by one; huge page faults that find no free
# 2 MiB block fall back to 4K pages (thp_fault_fallback). Every byte comes back.
machine ram=64M seed=11
mkswap /swapfile size=256M
swapon /swapfile
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: buf = mmap 16M rw private,anon
a: write buf 16M fill=seq
expect /proc/meminfo:AnonHugePages == 16M
expect /proc/meminfo:Inactive(anon) >= 16M
check
spawn b
b: big = mmap 96M rw private,anon
b: write big 96M fill=seq
verify
check
expect /proc/vmstat:thp_split_page > 0
expect /proc/vmstat:thp_split_page_failed == 0
expect /proc/vmstat:pswpout > 0
expect /proc/vmstat:thp_fault_fallback > 0
expect /proc/a/status:VmSwap > 0
# the pages come back from swap as small pages, bytes intact
a: read buf 16M
verify
fork a c
c: write buf+1M 2M fill=0x5c
a: read buf 16M
b: munmap big 64M
verify
check
exit c
exit b
exit a
expect /proc/meminfo:AnonPages == 0
expect /proc/meminfo:AnonHugePages == 0
check
