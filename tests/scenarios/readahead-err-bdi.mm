# exit: 2
# read_ahead_kb takes a number of KiB; the machine's files are on device 0:2.
machine ram=64M
echo 256 > /sys/class/bdi/0:2/read_ahead_kb
expect /sys/class/bdi/0:2/read_ahead_kb == 256
echo "lots" > /sys/class/bdi/0:2/read_ahead_kb
