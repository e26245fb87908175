# zram as the only swap device (drivers/block/zram/zram_drv.c under mm/page_io.c).
# Same-filled pages (fill=0xNN: every word alike) are stored as their one word: swapping them out
# frees a whole page each and costs the pool nothing (mm_stat's same_pages, 6th field).
# Data that does not compress is another matter, and this machine behaves as the kernel does: each
# page reclaim writes to zram is stored in the pool's own pages, which come out of the same RAM and
# cannot be reclaimed. fill=seq bytes compress to about 85% with lz4 (compr_data_size against
# orig_data_size, 2nd and 1st fields), so a page pushed out frees about a seventh of a page; reclaim
# keeps finding swap slots but memory runs out anyway, and a zram-only machine OOM-kills the
# process. (Real systems pair zram with a disk swap or writeback for this reason.)
machine ram=64M seed=6
echo "lz4" > /sys/block/zram0/comp_algorithm
echo 128M > /sys/block/zram0/disksize
mkswap /dev/zram0
swapon /dev/zram0 prio=100
spawn a
a: buf = mmap 96M rw private,anon
a: write buf 96M fill=0x5a
echo "96M of 0x5a bytes in 64M of RAM: the pages pushed out are same_pages in zram"
cat /sys/block/zram0/mm_stat
cat /proc/swaps
expect /proc/vmstat:pswpout > 10000
a: x = load buf+50M 1
expect x == 0x5a
a: read buf 96M
expect /proc/vmstat:pswpin > 0
expect /proc/vmstat:oom_kill == 0

echo "seq data:"
machine ram=64M seed=6
echo "lz4" > /sys/block/zram0/comp_algorithm
echo 128M > /sys/block/zram0/disksize
mkswap /dev/zram0
swapon /dev/zram0 prio=100
spawn b
b: s = mmap 96M rw private,anon
b: write s 56M fill=seq
echo "after 56M: the pool uses nearly as much as it stores"
cat /sys/block/zram0/mm_stat
cat /proc/swaps
verify
expect /proc/vmstat:oom_kill == 0
expect signal SIGKILL b: write s+56M 16M fill=seq
expect /proc/vmstat:oom_kill == 1
echo "the OOM kill gave the pool's memory back:"
cat /sys/block/zram0/mm_stat
