# Accesses without recency (vma_has_recency): after MADV_SEQUENTIAL (or MADV_RANDOM) reclaim does
# not learn from a VMA's young PTEs (folio_referenced skips it), so its pages are not activated
# however often they are read, while the same use of a normal VMA activates them; with the
# multi-gen LRU the aging's page-table walk skips such a VMA too, and a fault in it does not make
# its page active.
machine ram=64M seed=5
mkswap /swapfile size=256M
swapon /swapfile
spawn a
a: hot = mmap 8M rw private,anon
a: seq = mmap 8M rw private,anon
a: r = madvise seq 8M sequential
expect r == 0
a: big = mmap 96M rw private,anon
a: write hot 8M fill=seq
a: write seq 8M fill=seq
repeat 48 as i
  a: read hot 8M
  a: read seq 8M
  a: write big+i*2M 2M fill=seq
end
expect /proc/a/status:VmSwap > 0
# the 2048 pages of hot were activated; none of seq (without the advice both are: 4096)
expect /proc/vmstat:pgactivate == 2048
verify
