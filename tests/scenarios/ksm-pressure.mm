# KSM pages under memory pressure: 3072 KSM pages, each mapped twice, on a 32 MiB machine with
# swap. Reclaim finds every PTE of a KSM page through rmap_walk_ksm and swaps it out (the page and
# its stable node go); a swap-in maps a page of the faulting mapping's own, and the other mapping
# of the same swap slot, at another index, gets a copy (ksm_swpin_copy). Compaction migrates KSM
# pages with their stable nodes. No byte is lost: loads check the stored values, verify the seq data.
machine ram=32M seed=3 aslr=off
mkswap /swapfile size=64M
swapon /swapfile
spawn b
b: buf = mmap 32M rw private,anon
b: r = madvise buf 32M mergeable
echo 4096 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
# Page i of each half holds the number i: the two halves are identical pairwise.
repeat 3 as k
  repeat 1024 as j
    b: store buf+(k*1024+j)*4K k*1024+j 8
    b: store buf+16M+(k*1024+j)*4K k*1024+j 8
  end
  tick 100ms
end
expect /sys/kernel/mm/ksm/pages_shared == 3072
expect /sys/kernel/mm/ksm/pages_sharing == 3072
spawn hog
hog: h = mmap 32M rw private,anon
hog: write h 32M fill=seq
expect /proc/b/status:VmSwap > 0
expect /sys/kernel/mm/ksm/pages_shared < 3072
expect /sys/kernel/mm/ksm/pages_shared + /proc/b/status:VmSwap / 8K == 3072
verify
b: x = load buf+100*4K 8
b: y = load buf+16M+100*4K 8
expect x == 100
expect y == 100
expect /proc/vmstat:ksm_swpin_copy == 1
b: x = load buf+3000*4K 8
expect x == 3000
echo 1 > /proc/sys/vm/compact_memory
expect /proc/vmstat:pgmigrate_success > 0
b: x = load buf+16M+3000*4K 8
expect x == 3000
b: x = load buf+16M+5*4K 8
expect x == 5
verify
