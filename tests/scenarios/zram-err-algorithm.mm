# exit: 2
# An algorithm the kernel does not know is -EINVAL.
machine ram=64M
echo "deflate-fast" > /sys/block/zram0/comp_algorithm
