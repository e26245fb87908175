# procps vmstat over the machine's /proc/meminfo, /proc/vmstat and /proc/stat, as procps-ng 4.0.2
# prints them (checked against the host's vmstat run over the same files). The first report is an
# average since boot: each count times USER_HZ (100) over all the CPU ticks of /proc/stat's cpu
# line; the machine's CPUs are idle all the time the clock moves, so the ticks are
# seconds * CPUs * 100 and id is 100.
machine ram=64M cpus=2 aslr=off
mkswap /swapfile size=64M
swapon /swapfile
truncate /data size=8M
spawn a
a: p = mmap 100M rw private,anon
a: write p 80M fill=seq
a: f = mmap 8M r private file=/data
a: read f 8M
tick 2s

vmstat
ticks = 2 * 2 * 100
swpd = (/proc/meminfo:SwapTotal - /proc/meminfo:SwapFree) / 1K
cache = (/proc/meminfo:Cached + /proc/meminfo:SReclaimable) / 1K
so = (/proc/vmstat:pswpout * 4 * 100 + ticks / 2) / ticks
bi = (/proc/vmstat:pgpgin * 100 + ticks / 2) / ticks
bo = (/proc/vmstat:pgpgout * 100 + ticks / 2) / ticks
echo "r" /proc/stat:procs_running "swpd" swpd "free" /proc/meminfo:MemFree / 1K "cache" cache "so" so "bi" bi "bo" bo
expect /proc/stat:cpu == 0
expect swpd > 0

# -a: inactive and active memory in place of buffers and cache; -w: wider columns.
vmstat -a -w
echo "inact" /proc/meminfo:Inactive / 1K "active" /proc/meminfo:Active / 1K
# -S M: memory in MiB; -s: every counter; -f: the forks since boot.
vmstat -S M
vmstat -s
vmstat -f
echo "forks" /proc/stat:processes
# -m: the slab caches by name.
kmem_cache_create foo size=100
o = kmem_cache_alloc foo
vmstat -m
# DELAY COUNT: a report, then one every DELAY seconds of the machine's clock, each what grew over
# the delay per second; a second process pushes the first to swap while the clock moves.
spawn b
b: q = mmap 24M rw private,anon
b: write q 24M fill=seq
so0 = /proc/vmstat:pswpout
vmstat 2 3
echo "swapped out over the 4 seconds, KiB:" (/proc/vmstat:pswpout - so0) * 4
expect /proc/vmstat:pswpout > so0
verify
