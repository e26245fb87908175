# vm.swappiness sets which LRU reclaim scans (get_scan_count): the same workload - 16 MiB of
# anonymous memory, a 32 MiB file read through the page cache, then 16 MiB more anonymous memory on
# a 64 MiB machine with swap - reclaims only page cache at swappiness 0 (nothing is swapped while
# file pages can be reclaimed), and mostly anonymous memory at 200 (pgscan_anon, pgscan_file).
machine ram=64M
fallocate /swapfile size=64M
mkswap /swapfile
swapon /swapfile
sysctl vm.swappiness=0
truncate /data size=32M
spawn a
a: buf = mmap 16M rw private,anon
a: write buf 16M fill=seq
a: io = mmap 1M rw private,anon
repeat 32 as i
  a: n = pread /data io 1M off=i*1M
end
spawn c
c: q = mmap 16M rw private,anon
c: write q 16M fill=seq
expect /proc/vmstat:pgscan_file > 0
expect /proc/vmstat:pgscan_anon == 0
expect /proc/vmstat:pswpout == 0
verify

machine ram=64M
fallocate /swapfile size=64M
mkswap /swapfile
swapon /swapfile
sysctl vm.swappiness=200
truncate /data size=32M
spawn a
a: buf = mmap 16M rw private,anon
a: write buf 16M fill=seq
a: io = mmap 1M rw private,anon
repeat 32 as i
  a: n = pread /data io 1M off=i*1M
end
spawn c
c: q = mmap 16M rw private,anon
c: write q 16M fill=seq
expect /proc/vmstat:pgscan_anon > 10 * /proc/vmstat:pgscan_file
expect /proc/vmstat:pswpout > 0
verify
