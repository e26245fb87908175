# exit: 2
# Only the zram devices that exist can be driven.
machine ram=64M
zram_read /dev/zram3 0
