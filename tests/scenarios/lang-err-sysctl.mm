# exit: 2
machine ram=64M
sysctl vm.min_free_kbytes=lots
