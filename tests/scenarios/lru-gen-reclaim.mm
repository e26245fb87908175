# Reclaim with the multi-gen LRU: a workload twice the size of RAM on a machine with a swap file.
# Eviction takes the oldest generation's pages (pgscan/pgsteal, the same counters as the classic
# LRU), the aging makes new generations, refaults are told by the shadows the evicted pages left
# (one per page read back from swap), and every byte written comes back intact.
machine ram=64M seed=42
mkswap /swapfile size=256M
swapon /swapfile
echo "y" > /sys/kernel/mm/lru_gen/enabled
spawn app
app: buf = mmap 128M rw private,anon
app: write buf 128M fill=seq
expect /proc/vmstat:pgscan_direct > 0
expect /proc/vmstat:pgsteal_direct > 16000
expect /proc/vmstat:pswpout == /proc/vmstat:pgsteal_anon
expect /proc/vmstat:pgscan_file == 0
expect /proc/meminfo:Active(anon) + /proc/meminfo:Inactive(anon) > 40M
verify
repeat 3 as j
  app: read buf 128M
  tick 20ms
end
expect /proc/vmstat:workingset_refault_anon > 60000
expect /proc/vmstat:workingset_refault_anon == /proc/vmstat:pswpin
expect /proc/vmstat:pgscan_kswapd > 0
cat /sys/kernel/debug/lru_gen
verify
