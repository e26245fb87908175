# Booting machines of several shapes; values read from procfs.
machine ram=128M nodes=2 cpus=4 seed=7 distance=10,21;21,10
expect /proc/meminfo:MemTotal <= 128M
expect /proc/meminfo:MemTotal > 100M
expect /proc/meminfo:MemFree <= /proc/meminfo:MemTotal
expect /proc/vmstat:nr_free_pages * 4K == /proc/meminfo:MemFree

# A reboot starts afresh: a 32-bit machine with HighMem.
machine ram=1G arch=i386
expect /proc/meminfo:HighTotal > 0
expect /proc/meminfo:MemTotal > 900M

# Commands run on the CPU `cpu` selects.
machine cpus=2
cpu 1
p = alloc_pages 0
free_pages p 0
cpu 0
check
