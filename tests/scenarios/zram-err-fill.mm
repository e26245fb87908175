# exit: 2
# fill= is checked before anything runs.
machine ram=64M
echo 1M > /sys/block/zram0/disksize
zram_write /dev/zram0 0 fill=words
