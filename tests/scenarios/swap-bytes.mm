# A page goes out to a swap file and comes back byte for byte; pswpout/pswpin count pages,
# pgpgout/pgpgin KiB (/proc/vmstat halves the 512-byte sectors the kernel counts).
machine ram=64M
mkswap /swapfile size=1M
swapon /swapfile
a = __get_free_pages 0
kwrite a 0 4096 0x5a
kwrite a 100 8 0x11
e = swap_out a
kwrite a 0 4096 0
b = __get_free_pages 0
r = swap_in e b
expect r == 0
kread b 96 16
expect /proc/vmstat:pswpout == 1
expect /proc/vmstat:pswpin == 1
expect /proc/vmstat:pgpgout == 4
expect /proc/vmstat:pgpgin == 4
expect /proc/meminfo:SwapFree == 1M - 4K
echo "cache=1 keeps the page in the swap cache after writing it: SwapCached"
e2 = swap_out a cache=1
expect /proc/meminfo:SwapCached == 4K
echo "swapoff swaps in what PTEs refer to and lets go of swap-cache-only slots; a slot only swap_out holds stays: -EINTR"
r = swapoff /swapfile
expect r == -EINTR
swap_free e2
expect /proc/meminfo:SwapCached == 0
swapoff /swapfile
expect /proc/meminfo:SwapTotal == 0
echo "swapoff's commit check: with overcommit_memory=2 and overcommit_ratio=0 the limit is the swap itself"
mkswap /swapfile
swapon /swapfile
sysctl vm.overcommit_memory=2
sysctl vm.overcommit_ratio=0
r = swapoff /swapfile
expect r == -ENOMEM
sysctl vm.overcommit_memory=0
swapoff /swapfile
