# mem_limit: once the pool would pass it, writes fail with -ENOMEM (counted in io_stat's
# failed_writes) and what was stored stays readable.
machine ram=128M
echo 8M > /sys/block/zram0/disksize
echo 256K > /sys/block/zram0/mem_limit
r = zram_write /dev/zram0 0 fill=rand count=100
expect r == -ENOMEM
cat /sys/block/zram0/mm_stat
cat /sys/block/zram0/io_stat
zram_read /dev/zram0 0 fill=rand count=64
echo 0 > /sys/block/zram0/mem_limit
r = zram_write /dev/zram0 64 fill=rand count=36
expect r == 0
zram_read /dev/zram0 0 fill=rand count=100
