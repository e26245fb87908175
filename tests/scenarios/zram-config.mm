# zram configured through sysfs as on Linux: the algorithm, then the size (which initialises the
# device), the files that report on it, and reset.
machine ram=128M
cat /sys/block/zram0/comp_algorithm
echo "zstd" > /sys/block/zram0/comp_algorithm
cat /sys/block/zram0/comp_algorithm
expect /sys/block/zram0/initstate == 0
echo 32M > /sys/block/zram0/disksize
expect /sys/block/zram0/initstate == 1
expect /sys/block/zram0/disksize == 32M
expect /sys/block/zram0/size == 32M / 512
cat /sys/block/zram0/max_comp_streams
cat /sys/block/zram0/mm_stat
cat /sys/block/zram0/io_stat
cat /sys/block/zram0/bd_stat
cat /sys/block/zram0/stat
echo 1 > /sys/block/zram0/reset
expect /sys/block/zram0/initstate == 0
echo "after reset the default algorithm is back:"
cat /sys/block/zram0/comp_algorithm
echo "a second device:"
cat /sys/class/zram-control/hot_add
cat /sys/block/zram1/comp_algorithm
echo 1 > /sys/class/zram-control/hot_remove
