# The checksum rule: a page that changes between two scans is volatile (pages_volatile): it is
# neither compared with the unstable tree nor inserted there; once it holds still for a full
# scan, it merges. smart_scan then skips pages that keep failing to merge (pages_skipped).
machine ram=64M seed=8 aslr=off
spawn a
a: buf = mmap 64K rw private,anon
a: write buf 64K fill=0x10
a: r = madvise buf 64K mergeable
echo 1 > /sys/kernel/mm/ksm/run
# Page 0 is rewritten between every two scans with a new value.
repeat 4 as i
  a: store buf i+1 1
  tick 20ms
end
expect /sys/kernel/mm/ksm/pages_shared == 1
expect /sys/kernel/mm/ksm/pages_sharing == 14
expect /sys/kernel/mm/ksm/pages_volatile == 1
expect /sys/kernel/mm/ksm/pages_unshared == 0
a: x = load buf 1
expect x == 4
# It stops changing, and is filled like the others: the next two scans merge it.
a: store buf 0x10 1
tick 40ms
expect /sys/kernel/mm/ksm/pages_sharing == 15
expect /sys/kernel/mm/ksm/pages_volatile == 0
# A page unlike any other sits in the unstable tree; after three scans without a merge, smart_scan
# starts skipping it.
a: store buf+60K 0x99 1
tick 200ms
expect /sys/kernel/mm/ksm/pages_skipped > 0
expect /sys/kernel/mm/ksm/pages_sharing == 14
