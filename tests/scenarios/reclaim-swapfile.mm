# Property test: three processes write fill=seq data that outgrows RAM four times over, fork,
# unmap and exit, with a swap file; every byte reads back through swap, and swapoff brings every
# page home once there is room.
machine ram=64M seed=11
mkswap /swapfile size=256M
swapon /swapfile
spawn a
spawn b
a: abuf = mmap 96M rw private,anon
a: write abuf 96M fill=seq
b: bbuf = mmap 48M rw private,anon
b: write bbuf 48M fill=seq
verify
expect /proc/vmstat:pswpout > 0
expect /proc/vmstat:pgsteal_direct > 0
expect /proc/vmstat:pgscan_anon > 0
expect /proc/vmstat:pgscan_file == 0
expect /proc/a/status:VmSwap > 0
fork a c
c: write abuf+16M 8M fill=seq
a: read abuf 96M
verify
expect /proc/vmstat:pswpin > 0
expect /proc/vmstat:pgmajfault > 0
c: munmap abuf 32M
b: munmap bbuf+8M 16M
exit c
verify
echo "kswapd: a tick lets it balance the node at the high watermark"
tick 10ms
expect /proc/vmstat:pageoutrun > 0
exit b
a: munmap abuf+40M 56M
r = swapoff /swapfile
expect r == 0
expect /proc/a/status:VmSwap == 0
verify
