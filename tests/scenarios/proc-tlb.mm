# The TLB: a walk fills it, loads of the same page hit; mprotect flushes; running another process on
# the same CPU flushes everything (no PCID); page faults count in pgfault and min_flt.
machine ram=64M seed=15 cpus=2
spawn a
spawn b
a: p = mmap 16K rw private,anon,populate
expect /proc/vmstat:pgfault == 4
a: x = load p
a: x = load p+8
a: x = load p+4K
tlb
a: r = mprotect p 4K r
a: x = load p
tlb
b: q = mmap 4K rw private,anon
b: store q 1 1
tlb
cpu 1
a: x = load p+4K
tlb
# min_flt (field 10) counts a's own faults: the populate faults were the kernel's, not a's
a: y = load p+8K
a: store p+12K 1 1
a: n = mmap 4K rw private,anon
a: store n 1 1
cat /proc/a/stat
