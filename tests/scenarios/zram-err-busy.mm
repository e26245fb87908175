# exit: 2
# An initialised device's size cannot change: -EBUSY, as on Linux (reset it first).
machine ram=64M
echo 4M > /sys/block/zram0/disksize
echo 8M > /sys/block/zram0/disksize
