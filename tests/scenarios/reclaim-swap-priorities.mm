# Swap priorities under real reclaim (mm/swapfile.c folio_alloc_swap over swap_avail_head): the
# pages a process pushes out fill the higher priority area before the lower one gets any, and two
# areas of equal priority are used in turn (a cluster at a time) so both fill about evenly.
machine ram=64M seed=3
mkswap /swapfile size=32M
mkswap /dev/vdb size=64M
swapon /dev/vdb prio=5
swapon /swapfile prio=10
spawn a
a: buf = mmap 128M rw private,anon
echo "80M into 64M of RAM: what is pushed out fits in /swapfile (prio 10); /dev/vdb stays empty"
a: write buf 80M fill=seq
cat /proc/swaps
expect /proc/vmstat:pswpout > 0
expect /proc/meminfo:SwapFree >= 64M - 4K
echo "48M more: /swapfile fills up, then /dev/vdb takes the rest"
a: write buf+80M 48M fill=seq
cat /proc/swaps
expect /proc/meminfo:SwapFree < 64M - 4K
verify

echo "equal priorities:"
machine ram=64M seed=3
mkswap /a size=64M
mkswap /b size=64M
swapon /a prio=7
swapon /b prio=7
spawn a
a: buf = mmap 96M rw private,anon
a: write buf 96M fill=seq
cat /proc/swaps
verify
a: read buf 96M
verify
expect /proc/vmstat:pswpin > 0
