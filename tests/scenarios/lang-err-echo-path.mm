# exit: 2
machine ram=64M
echo 10 > /proc/sys/vm/no_such_tunable
