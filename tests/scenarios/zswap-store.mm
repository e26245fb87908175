# zswap (mm/zswap.c) in front of a swap file: reclaim's swap_writepage offers each page to
# zswap_store first, which compresses it with the real libzstd into a zsmalloc pool; the file is
# not written (pswpout stays 0 while zswpout grows). Faults read the pages back through zswap_load,
# which decompresses and frees the entry (6.18's exclusive load). Meminfo's Zswap is the pool's
# pages, Zswapped the stored pages' own size; fill=seq bytes take about a third with zstd. Unmapping
# frees the swap entries and with them zswap's (zswap_invalidate); an empty pool gives its pages back.
machine ram=64M seed=6
mkswap /swapfile size=128M
swapon /swapfile
echo "defaults:"
cat /sys/module/zswap/parameters/enabled
cat /sys/module/zswap/parameters/compressor
cat /sys/module/zswap/parameters/max_pool_percent
cat /sys/module/zswap/parameters/accept_threshold_percent
cat /sys/module/zswap/parameters/shrinker_enabled
echo "Y" > /sys/module/zswap/parameters/enabled
echo "zstd" > /sys/module/zswap/parameters/compressor
echo 50 > /sys/module/zswap/parameters/max_pool_percent
cat /sys/module/zswap/parameters/enabled
cat /sys/module/zswap/parameters/compressor
spawn a
a: buf = mmap 96M rw private,anon
a: write buf 60M fill=seq
stored = /sys/kernel/debug/zswap/stored_pages
expect stored > 3000
expect /proc/vmstat:zswpout >= stored
expect /proc/vmstat:pswpout == 0
expect /proc/meminfo:Zswapped == stored * 4K
expect /proc/meminfo:Zswap == /sys/kernel/debug/zswap/pool_total_size
expect /proc/meminfo:Zswap * 2 < /proc/meminfo:Zswapped
expect /sys/kernel/debug/zswap/written_back_pages == 0
expect /sys/kernel/debug/zswap/reject_compress_poor == 0
verify
a: read buf 60M
verify
expect /proc/vmstat:zswpin > 3000
expect /proc/vmstat:pswpin == 0
expect /proc/vmstat:pswpout == 0
echo "munmap frees the swap entries still in zswap (zswap_invalidate):"
expect /sys/kernel/debug/zswap/stored_pages > 0
a: munmap buf 96M
expect /sys/kernel/debug/zswap/stored_pages == 0
expect /proc/meminfo:Zswapped == 0
expect /proc/meminfo:Zswap == 0
swapoff /swapfile
