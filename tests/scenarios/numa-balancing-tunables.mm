# NUMA balancing's tunables (/sys/kernel/debug/sched/numa_balancing, kernel/sched/debug.c): a scan
# covers scan_size_mb of pages with something to mark, its window ending on a 2 MiB boundary
# (task_numa_work), then the next waits scan_period_min_ms; the first waits scan_delay_ms from the
# process's start. Values are any u32; scan_period_max_ms and hot_threshold_ms are kept, unused.
machine ram=256M nodes=2 cpus=4 aslr=off
expect /sys/kernel/debug/sched/numa_balancing/scan_delay_ms == 1000
expect /sys/kernel/debug/sched/numa_balancing/scan_period_min_ms == 1000
expect /sys/kernel/debug/sched/numa_balancing/scan_period_max_ms == 60000
expect /sys/kernel/debug/sched/numa_balancing/scan_size_mb == 256
expect /sys/kernel/debug/sched/numa_balancing/hot_threshold_ms == 1000
echo 1 > /sys/kernel/debug/sched/numa_balancing/scan_size_mb
echo 100 > /sys/kernel/debug/sched/numa_balancing/scan_period_min_ms
echo 500 > /sys/kernel/debug/sched/numa_balancing/scan_delay_ms
echo 1 > /proc/sys/kernel/numa_balancing
spawn a
a: p = mmap 4M rw private,anon addr=0x40000000
a: r = madvise p 4M nohugepage
a: write p 4M fill=seq
cpu 2
# the delay: nothing before 500 ms
tick 400ms
expect /proc/vmstat:numa_pte_updates == 0
# 1 MiB asked, the window runs to the next 2 MiB boundary: 512 pages
tick 100ms
expect /proc/vmstat:numa_pte_updates == 512
# the period: nothing 50 ms later, the next window 100 ms later
tick 50ms
expect /proc/vmstat:numa_pte_updates == 512
tick 50ms
expect /proc/vmstat:numa_pte_updates == 1024
# the scan wraps: the marked pages are passed over
tick 100ms
expect /proc/vmstat:numa_pte_updates == 1024
echo 4294967295 > /sys/kernel/debug/sched/numa_balancing/hot_threshold_ms
expect /sys/kernel/debug/sched/numa_balancing/hot_threshold_ms == 4294967295
a: read p 4M
expect /proc/vmstat:numa_pages_migrated == 1024
verify
