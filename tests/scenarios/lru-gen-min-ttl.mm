# min_ttl_ms, the multi-gen LRU's thrashing prevention: kswapd will not evict the workingset of the
# last N milliseconds. When memory runs short and even the oldest generation is younger than that,
# the OOM killer runs instead (lru_gen_age_node) and the others keep every byte. With min_ttl_ms
# 0 (the default) the same workload only swaps. The OOM report and the tracepoints name kswapd0 as
# current and show kswapd's stack (balance_pgdat), not a page fault's.
machine ram=64M seed=42
mkswap /swapfile size=256M
swapon /swapfile
echo "y" > /sys/kernel/mm/lru_gen/enabled
spawn small
small: s = mmap 4M rw private,anon
small: write s 4M fill=seq
spawn big
big: b = mmap 64M rw private,anon
big: write b 64M fill=seq
trace mm_vmscan_kswapd_wake,mm_vmscan_kswapd_sleep
tick 10ms
expect /proc/vmstat:oom_kill == 0
expect /proc/vmstat:pswpout > 0
echo 10000 > /sys/kernel/mm/lru_gen/min_ttl_ms
expect /sys/kernel/mm/lru_gen/min_ttl_ms == 10000
big: write b 32M fill=seq
tick 10ms
expect /proc/vmstat:oom_kill == 1
expect /proc/small/status:VmRSS + /proc/small/status:VmSwap == 4M
verify
