# exit: 2
# PATH:KEY needs a key the file has.
machine ram=64M
expect /proc/meminfo:MemFrei > 0
