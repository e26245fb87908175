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
echo "pgscan_direct" /proc/vmstat:pgscan_direct "pgsteal_direct" /proc/vmstat:pgsteal_direct "pgscan_kswapd" /proc/vmstat:pgscan_kswapd "pgsteal_kswapd" /proc/vmstat:pgsteal_kswapd "pswpout" /proc/vmstat:pswpout
expect /proc/vmstat:pgscan_direct > 0
expect /proc/vmstat:pgsteal_direct > 0
expect /proc/vmstat:pswpout > 19000
expect /proc/vmstat:pgscan_file == 0
echo "No page cache exists yet, so the file lists are empty and every page scanned is anonymous:"
echo "pgscan_anon == pgscan_kswapd + pgscan_direct, pgscan_file == 0."
expect /proc/vmstat:pgscan_anon == /proc/vmstat:pgscan_kswapd + /proc/vmstat:pgscan_direct
echo "The pages written once and never touched again stay on the inactive list:"
echo "Active(anon)" /proc/meminfo:Active(anon) / 1K "kB, Inactive(anon)" /proc/meminfo:Inactive(anon) / 1K "kB"
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
echo "pgmajfault" /proc/vmstat:pgmajfault "pswpin" /proc/vmstat:pswpin
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
echo "pgscan_kswapd" /proc/vmstat:pgscan_kswapd "pgsteal_kswapd" /proc/vmstat:pgsteal_kswapd "pageoutrun (kswapd's runs)" /proc/vmstat:pageoutrun
expect /proc/vmstat:pgscan_kswapd > 0
expect /proc/vmstat:pgsteal_kswapd > 0
expect /proc/vmstat:pageoutrun > 0
verify

echo ""
echo "== swappiness =="
echo "vm.swappiness (0..200, default 60) weighs anon against file pages in get_scan_count: at 100"
echo "both are scanned by the cost of refaulting them, at 0 anon pages are not swapped while file"
echo "pages can be reclaimed, at 200 anon pages are preferred. The same workload twice: 16 MiB of"
echo "anonymous memory, a 32 MiB file read through the page cache, then 16 MiB more anonymous"
echo "memory on a 64 MiB machine, first with swappiness 0, then with 200:"
repeat 2 as i
  machine ram=64M seed=42
  mkswap /swapfile size=64M
  swapon /swapfile
  truncate /data size=32M
  echo i * 200 > /proc/sys/vm/swappiness
  spawn a
  a: buf = mmap 16M rw private,anon
  a: write buf 16M fill=seq
  a: io = mmap 1M rw private,anon
  repeat 32 as j
    a: n = pread /data io 1M off=j*1M
  end
  a: more = mmap 16M rw private,anon
  a: write more 16M fill=seq
  anon[i] = /proc/vmstat:pgscan_anon
  file[i] = /proc/vmstat:pgscan_file
  out[i] = /proc/vmstat:pswpout
  echo "swappiness" /proc/sys/vm/swappiness "- pgscan_anon" anon[i] "pgscan_file" file[i] "pswpout" out[i]
  verify
end
expect anon[0] == 0
expect file[0] > 0
expect out[0] == 0
expect anon[1] > 10 * file[1]
expect out[1] > 0
echo "At 0 only the page cache was reclaimed and nothing was swapped; at 200 reclaim went for the"
echo "anonymous pages and swapped them, and left the page cache alone."
