# exit: 2
# node1 does not exist on a one-node machine.
machine ram=256M nodes=1
cat /sys/devices/system/node/online
cat /sys/devices/system/node/node1/meminfo
