# exit: 2
# I/O before disksize is written: the device has no slots yet.
machine ram=64M
zram_write /dev/zram0 0 fill=seq
