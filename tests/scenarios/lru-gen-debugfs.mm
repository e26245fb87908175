# The multi-gen LRU's generations in /sys/kernel/debug/lru_gen: each line a generation (seq, age in
# ms, anon pages, file pages). Pages a fault brings in join the second youngest generation; the aging
# ('+') opens a new one and promotes the pages found young twice in the page tables (the first time
# only marks them referenced); pages used no more drift to the oldest generations. Anonymous pages
# are aged only while swap has room (without it reclaim could not evict them anyway).
machine ram=64M seed=7
mkswap /swapfile size=64M
swapon /swapfile
echo "y" > /sys/kernel/mm/lru_gen/enabled
cat /sys/kernel/mm/lru_gen/enabled
spawn app
app: buf = mmap 8M rw private,anon
app: write buf 8M fill=seq
cat /sys/kernel/debug/lru_gen
tick 100ms
echo "+ 0 0 3" > /sys/kernel/debug/lru_gen
app: read buf 2M
tick 100ms
echo "+ 0 0 4" > /sys/kernel/debug/lru_gen
cat /sys/kernel/debug/lru_gen
tick 100ms
echo "+ 0 0 5" > /sys/kernel/debug/lru_gen
cat /sys/kernel/debug/lru_gen
expect /proc/meminfo:Active(anon) == 0
expect /proc/meminfo:Inactive(anon) == 8M
verify
