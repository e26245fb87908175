# exit: 2
# A slot past the end of the device.
machine ram=64M
echo 1M > /sys/block/zram0/disksize
zram_write /dev/zram0 250 count=10
