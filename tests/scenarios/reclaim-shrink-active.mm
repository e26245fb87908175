# shrink_active_list: a page reclaim finds referenced twice (its PTE young again after the first
# look cleared it) is activated (pgactivate); when the inactive list runs short, reclaim takes pages
# off the active list (pgrefill), deactivating them (pgdeactivate), and mm_vmscan_lru_shrink_active
# reports each pass.
machine ram=32M seed=5
mkswap /swapfile size=64M
swapon /swapfile
spawn a
a: p = mmap 16M rw private,anon
a: write p 16M fill=seq
a: r = mmap 32M rw private,anon
repeat 16 as i
  a: write r+i*1M 1M fill=seq
  a: read p 16M
end
expect /proc/vmstat:pgactivate > 0
trace mm_vmscan_lru_shrink_active
repeat 16 as i
  a: write r+(i+16)*1M 1M fill=seq
end
trace off
expect /proc/vmstat:pgrefill > 0
expect /proc/vmstat:pgdeactivate > 0
verify
