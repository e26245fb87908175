# exit: 2
# zram_read checks every byte against the fill the slot was written with: a wrong one is an error
# that names the slot and the byte.
machine ram=64M
echo 4M > /sys/block/zram0/disksize
zram_write /dev/zram0 5 fill=text
zram_read /dev/zram0 5 fill=seq
