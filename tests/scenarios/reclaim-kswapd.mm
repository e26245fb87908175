# kswapd (mm/vmscan.c): an allocation that leaves a zone under its low watermark wakes the node's
# kswapd (mm_vmscan_wakeup_kswapd); it runs when the clock ticks (mm_vmscan_kswapd_wake), reclaims
# until the node is above its high watermark, and sleeps (mm_vmscan_kswapd_sleep). Woken again
# within its short nap (HZ/10), it counts kswapd_low_wmark_hit_quickly. The write below is sized to
# take both zones under low but not under min, so no allocation reclaims directly.
machine ram=64M seed=4
mkswap /swapfile size=128M
swapon /swapfile
spawn a
a: buf = mmap 64M rw private,anon
a: write buf 50M+896K fill=seq
expect /proc/vmstat:pgscan_kswapd == 0
expect /proc/vmstat:pgscan_direct == 0
trace mm_vmscan_kswapd_wake,mm_vmscan_kswapd_sleep
tick 10ms
expect /proc/vmstat:pgscan_kswapd > 0
expect /proc/vmstat:pgsteal_kswapd > 0
expect /proc/vmstat:pgscan_direct == 0
expect /proc/vmstat:nr_free_pages >= 98 + 241
expect /proc/vmstat:kswapd_low_wmark_hit_quickly == 0
echo "under low again 50ms after kswapd went to sleep:"
tick 50ms
a: write buf+50M+896K 768K fill=seq
tick 10ms
trace off
expect /proc/vmstat:kswapd_low_wmark_hit_quickly == 1
expect /proc/vmstat:pgscan_direct == 0
verify
