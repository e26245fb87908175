# Direct reclaim in a process's context: the faulting task (a-1), not the machine, is current in the
# tracepoints; user pages are GFP_HIGHUSER_MOVABLE, whose highest zone is ZONE_MOVABLE (gfp_zone), so
# the stall counts in allocstall_movable as on the kernel, even with the Movable zone empty.
machine ram=32M seed=5
mkswap /swapfile size=64M
swapon /swapfile
spawn a
a: p = mmap 26M rw private,anon
a: write p 26M fill=seq
trace mm_vmscan_direct_reclaim_begin,mm_vmscan_direct_reclaim_end,mm_vmscan_lru_shrink_inactive,mm_vmscan_lru_shrink_active
a: q = mmap 1M rw private,anon
a: write q 160K fill=seq
trace off
expect /proc/vmstat:allocstall_movable > 0
expect /proc/vmstat:allocstall_normal == 0
verify
