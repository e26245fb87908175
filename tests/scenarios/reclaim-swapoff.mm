# swapoff of a full area in the middle of a workload (mm/swapfile.c try_to_unuse, unuse_mm): every
# swap PTE pointing into it is faulted back in; with RAM full, bringing them back reclaims other
# pages to the remaining area. Nothing is lost, before, during or after, and the workload goes on.
machine ram=64M seed=5
mkswap /swapfile size=32M
mkswap /dev/vdb size=128M
swapon /swapfile prio=10
swapon /dev/vdb prio=1
spawn a
a: buf = mmap 100M rw private,anon
a: write buf 100M fill=seq
echo "/swapfile is full, the rest went to /dev/vdb:"
cat /proc/swaps
verify
r = swapoff /swapfile
expect r == 0
echo "after swapoff /swapfile its pages are in RAM or on /dev/vdb:"
cat /proc/swaps
expect /proc/meminfo:SwapTotal == 128M - 4K
verify
echo "the workload goes on with the one area left:"
a: buf2 = mmap 32M rw private,anon
a: write buf2 32M fill=seq
a: read buf 100M
cat /proc/swaps
verify
expect /proc/vmstat:oom_kill == 0
