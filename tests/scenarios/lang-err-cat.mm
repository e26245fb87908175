# exit: 2
machine ram=64M
cat /proc/no_such_file
