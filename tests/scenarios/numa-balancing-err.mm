# exit: 2
# a NUMA balancing tunable is a u32: a larger value is -EINVAL (kstrtou32), and the script stops.
machine nodes=2
echo 4294967296 > /sys/kernel/debug/sched/numa_balancing/scan_size_mb
