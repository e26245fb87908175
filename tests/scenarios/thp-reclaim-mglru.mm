# Reclaim of transparent huge pages with the multi-gen LRU (mm/vmscan.c): a huge folio is one entry
# of a generation counted as 512 pages; the aging's page-table walk promotes it through its young
# PMD; the eviction splits it into 512 small pages (thp_split_page) before they go to swap. Every
# byte comes back.
machine ram=64M seed=11
mkswap /swapfile size=256M
swapon /swapfile
echo "y" > /sys/kernel/mm/lru_gen/enabled
echo "always" > /sys/kernel/mm/transparent_hugepage/enabled
spawn a
a: buf = mmap 16M rw private,anon
a: write buf 16M fill=seq
expect /proc/meminfo:AnonHugePages == 16M
expect /proc/meminfo:Active(anon) + /proc/meminfo:Inactive(anon) >= 16M
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
