# Tunables written through sysctl and echo > PATH, read back as values.
sysctl vm.min_free_kbytes=2048
expect /proc/sys/vm/min_free_kbytes == 2048
sysctl vm.min_free_kbytes
echo 4096 > /proc/sys/vm/min_free_kbytes
expect /proc/sys/vm/min_free_kbytes == 4096
sysctl vm.watermark_scale_factor=100
sysctl vm.watermark_scale_factor
