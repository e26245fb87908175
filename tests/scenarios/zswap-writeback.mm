# zswap's pool limit: with max_pool_percent=5 the pool may hold 5% of RAM. Reaching it counts
# pool_limit_hit, refuses stores (those pages go to the swap file: pswpout) until the pool is back
# under accept_threshold_percent of the limit, and writes the oldest entries back to the file
# (shrink_worker, zswap_writeback_entry): decompressed, their real bytes written to their slots
# (written_back_pages, zswpwb, and pswpout as the kernel counts that write). verify reads the
# pages that are out wherever they are: zswap's pool or the file; then everything is faulted back.
machine ram=64M seed=7
mkswap /swapfile size=128M
swapon /swapfile
echo "Y" > /sys/module/zswap/parameters/enabled
echo "zstd" > /sys/module/zswap/parameters/compressor
echo 5 > /sys/module/zswap/parameters/max_pool_percent
echo 80 > /sys/module/zswap/parameters/accept_threshold_percent
spawn a
a: buf = mmap 96M rw private,anon
a: write buf 64M fill=seq
wb = /sys/kernel/debug/zswap/written_back_pages
expect wb > 0
expect /proc/vmstat:zswpwb == wb
expect /sys/kernel/debug/zswap/pool_limit_hit > 0
expect /proc/vmstat:pswpout >= wb
expect /sys/kernel/debug/zswap/stored_pages > 0
expect /sys/kernel/debug/zswap/pool_total_size <= /proc/meminfo:MemTotal / 20 + 64K
verify
a: read buf 64M
verify
expect /proc/vmstat:pswpin > 0
expect /proc/vmstat:zswpin > 0
a: write buf 64M fill=seq
verify
a: munmap buf 96M
expect /sys/kernel/debug/zswap/stored_pages == 0
