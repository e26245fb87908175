# Reads of untouched anonymous memory map the one shared zero page, read-only; a write gives the
# writer a zeroed page of its own and leaves every other mapping of the zero page reading zero.
machine ram=128M seed=4
spawn a
a: p = mmap 4K rw private,anon
a: q = mmap 4K rw private,anon
a: x = load p
a: y = load q
expect x == 0
expect y == 0
zp = pagewalk a p
zq = pagewalk a q
expect zp == zq
expect /proc/meminfo:AnonPages == 0
expect /proc/a/status:VmRSS == 0
a: store p 0xff 1
a: x = load p 1
a: y = load q 1
expect x == 0xff
expect y == 0
zp = pagewalk a p
zq2 = pagewalk a q
expect zp != zq
expect zq2 == zq
expect /proc/meminfo:AnonPages == 4K
expect /proc/vmstat:pgfault == 3
