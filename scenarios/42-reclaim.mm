# Lesson: page reclaim (seed 4.2, 5): a workload that outgrows RAM, the LRU lists, kswapd and direct
# reclaim, swap-out and swap-in, zram as a swap device, and what swappiness does.

machine ram=64M seed=42
echo "Every page a process faults in joins its node's inactive anon LRU list. When free memory"
echo "falls under a zone's low watermark kswapd is woken; under min, the allocating process"
echo "reclaims itself (direct reclaim). Reclaim takes pages from the tail of the inactive list: one"
echo "whose page-table entries were young is given another round, the others are written to swap,"
echo "unmapped from every PTE (which then holds the swap entry) and freed."
echo ""
echo "== Swap: a fast zram device first, a swap file behind it =="
echo "lz4" > /sys/block/zram0/comp_algorithm
echo 32M > /sys/block/zram0/disksize
mkswap /dev/zram0
swapon /dev/zram0 prio=100
mkswap /swapfile size=256M
swapon /swapfile
cat /proc/swaps

echo ""
echo "== A workload that outgrows RAM =="
spawn app
app: buf = mmap 160M rw private,anon
echo "First 32M of bytes that are all 0x11 (same-filled pages), then 96M of seq data:"
app: write buf 32M fill=0x11
app: write buf+32M 96M fill=seq
echo "pgscan counts pages looked at, pgsteal pages reclaimed; _direct in the faulting process,"
echo "_kswapd in kswapd. pswpout counts pages written to swap."
expect /proc/vmstat:pgscan_direct > 0
expect /proc/vmstat:pgsteal_direct > 0
expect /proc/vmstat:pswpout > 19000
expect /proc/vmstat:pgscan_file == 0
echo "No page cache exists yet, so the file lists are empty and every page scanned is anonymous:"
echo "pgscan_anon == pgscan_kswapd + pgscan_direct, pgscan_file == 0."
expect /proc/vmstat:pgscan_anon == /proc/vmstat:pgscan_kswapd + /proc/vmstat:pgscan_direct
echo "The pages written once and never touched again stay on the inactive list:"
expect /proc/meminfo:Inactive(anon) > 40M
expect /proc/meminfo:SwapFree < /proc/meminfo:SwapTotal - 64M
cat /proc/swaps
echo "The zram device (priority 100) was used first. The same-filled pages cost it nothing;"
echo "mm_stat: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages ..."
cat /sys/block/zram0/mm_stat
expect /proc/app/status:VmSwap > 64M
verify

echo ""
echo "== Swap-in =="
echo "Reading the start again faults the pages back in (pgmajfault) and reads their neighbours"
echo "in the swap area with them (readahead of 2^page-cluster slots: pswpin counts them all):"
app: read buf 16M
expect /proc/vmstat:pswpin > 0
expect /proc/vmstat:pgmajfault > 0
expect /proc/vmstat:pswpin >= /proc/vmstat:pgmajfault
verify

echo ""
echo "== kswapd =="
echo "kswapd runs from the clock. Freeing the buffer's tail and taking memory again in steps,"
echo "with ticks between them, lets kswapd reclaim before the process has to:"
app: munmap buf+32M 128M
app: b2 = mmap 64M rw private,anon
repeat 32 as i
  app: write b2+i*2M 2M fill=seq
  tick 10ms
end
expect /proc/vmstat:pgscan_kswapd > 0
expect /proc/vmstat:pgsteal_kswapd > 0
expect /proc/vmstat:pageoutrun > 0
verify

echo ""
echo "== swappiness =="
echo "vm.swappiness (0..200, default 60) weighs anon against file pages in get_scan_count: at 100"
echo "both are scanned by the cost of refaulting them, at 0 anon pages are not swapped while file"
echo "pages can be reclaimed, at 200 anon pages are preferred. This machine has no page cache yet:"
echo "the file lists are empty, so every value gives the same result here and the lesson cannot"
echo "show the balance move. It will once files are cached."
sysctl vm.swappiness=200
expect /proc/sys/vm/swappiness == 200
