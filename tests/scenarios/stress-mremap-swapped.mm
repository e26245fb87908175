# Regression (property tests, compaction seed 1): mremap moving a range whose pages are swapped out
# must move their swap entries with the present PTEs (mm/mremap.c move_ptes moves every non-empty
# entry); it left them behind, and unmapping the old range then freed the slots: the bytes were lost.
machine ram=32M seed=1
mkswap /swapfile size=96M
swapon /swapfile
spawn a
a: p = mmap 4M rw private,anon
a: write p 4M fill=seq
a: q = mmap 40M rw private,anon
a: write q 40M fill=seq
echo "p is out on swap, wholly or in part:"
expect /proc/a/status:VmSwap >= 4M
swapped = /proc/a/status:VmSwap
e = pagemap a p
expect e >= 0x4000000000000000
a: r = mremap p 4M 8M maymove,fixed addr=q-16M
expect r == q - 16M
echo "the swap entries moved with the mapping: none was freed"
expect /proc/a/status:VmSwap == swapped
f = pagemap a r
expect f == e
verify
a: read r 4M
verify
