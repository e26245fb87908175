# Lesson: zswap (seed 4.2): a compressed cache in front of a swap device.
#
# zram (scenarios/45-zram.mm) is a swap device of its own that happens to live in RAM. zswap is
# not a device: it sits in front of whatever swap device there is. When reclaim swaps a page out
# (swap_writepage), zswap_store offers it to zswap first, which compresses it into a zsmalloc pool
# in RAM; the device is written only when zswap refuses a page or, once its pool is full, writes
# its oldest entries back. A fault on a page that zswap holds decompresses it (zswap_load): no I/O.

machine ram=64M seed=6
mkswap /swapfile size=128M
swapon /swapfile
echo "== Turning it on =="
echo "zswap is off at boot, as on a default Debian kernel. Its parameters are module"
echo "parameters; the compressor is the real libzstd here, and max_pool_percent caps the pool"
echo "at that share of RAM:"
cat /sys/module/zswap/parameters/enabled
echo "Y" > /sys/module/zswap/parameters/enabled
echo "zstd" > /sys/module/zswap/parameters/compressor
cat /sys/module/zswap/parameters/compressor
cat /sys/module/zswap/parameters/max_pool_percent

echo ""
echo "== Swapping out without writing =="
echo "A process writes 60 MiB on a 64 MiB machine. Reclaim swaps thousands of pages out, and"
echo "every one of them stays in RAM, compressed: zswpout counts them, pswpout (pages written"
echo "to the swap file) stays 0."
spawn a
a: buf = mmap 96M rw private,anon
a: write buf 60M fill=seq
stored = /sys/kernel/debug/zswap/stored_pages
echo "zswpout" /proc/vmstat:zswpout "  pswpout" /proc/vmstat:pswpout "  stored_pages" stored
expect stored > 3000
expect /proc/vmstat:pswpout == 0
echo "Zswapped is what the stored pages were, Zswap what the pool takes to hold them (in kB):"
echo "Zswapped" /proc/meminfo:Zswapped / 1K "  Zswap" /proc/meminfo:Zswap / 1K
expect /proc/meminfo:Zswapped == stored * 4K
expect /proc/meminfo:Zswap * 2 < /proc/meminfo:Zswapped
echo "The swap file still counts the slots as used: zswap keeps a page under its swap entry,"
echo "so the page table holds the same swap entry either way:"
cat /proc/swaps
verify

echo ""
echo "== Swapping in without reading =="
echo "Reading the buffer faults the pages back: zswap_load decompresses each one and drops its"
echo "copy (the page is in memory now, and dirty). zswpin grows, past the pages stored at first, as"
echo "reading pushes other pages out to zswap and they come back too; pswpin (file reads) does not:"
a: read buf 60M
echo "zswpin" /proc/vmstat:zswpin "  pswpin" /proc/vmstat:pswpin
expect /proc/vmstat:zswpin > 3000
expect /proc/vmstat:pswpin == 0
verify
a: munmap buf 96M
expect /sys/kernel/debug/zswap/stored_pages == 0

echo ""
echo "== Pages that do not compress =="
echo "Random bytes do not shrink: zswap rejects them (reject_compress_poor) and swap_writepage"
echo "writes them to the swap file as if zswap were not there:"
out0 = /proc/vmstat:pswpout
a: buf = mmap 96M rw private,anon
a: write buf 40M fill=rand
a: write buf+40M 40M fill=seq
echo "reject_compress_poor" /sys/kernel/debug/zswap/reject_compress_poor "  pswpout" /proc/vmstat:pswpout - out0
expect /sys/kernel/debug/zswap/reject_compress_poor > 1000
expect /proc/vmstat:pswpout > out0 + 1000
verify
a: munmap buf 96M

echo ""
echo "== A full pool writes back =="
echo "With max_pool_percent=5 the pool may take 5% of RAM. Reaching the limit counts"
echo "pool_limit_hit; zswap then refuses new pages until the pool is back under"
echo "accept_threshold_percent of its limit, and its shrinker writes the oldest entries back to"
echo "the swap file: decompressed, their real bytes written to their own slots (zswpwb)."
echo 5 > /sys/module/zswap/parameters/max_pool_percent
echo 80 > /sys/module/zswap/parameters/accept_threshold_percent
a: buf = mmap 96M rw private,anon
a: write buf 64M fill=seq
echo "pool_limit_hit" /sys/kernel/debug/zswap/pool_limit_hit "  written_back_pages" /sys/kernel/debug/zswap/written_back_pages "  pool_total_size" /sys/kernel/debug/zswap/pool_total_size / 1K "kB"
expect /sys/kernel/debug/zswap/pool_limit_hit > 0
expect /sys/kernel/debug/zswap/written_back_pages > 0
expect /sys/kernel/debug/zswap/pool_total_size <= /proc/meminfo:MemTotal / 20 + 64K
echo "Some pages are now in the pool and some in the file; a fault finds each wherever it is:"
a: read buf 64M
expect /proc/vmstat:pswpin > 0
verify
echo "verify: every byte came back, from zswap's pool or from the file."
