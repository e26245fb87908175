# fork shares anonymous pages copy-on-write: a write by either side is not seen by the other,
# also when the parent made the range read-only and writable again in between.
machine ram=128M seed=3
spawn a
a: buf = mmap 64K rw private,anon
a: store buf 0x11 1
a: store buf+8K 0x22 1
fork a b
expect /proc/meminfo:AnonPages == 8K
# the child writes: it gets a copy; the parent still sees its byte
b: store buf 0x99 1
a: x = load buf 1
b: y = load buf 1
expect x == 0x11
expect y == 0x99
expect /proc/meminfo:AnonPages == 12K
# the parent writes the other page: the child keeps the old byte
a: store buf+8K 0x33 1
b: z = load buf+8K 1
a: w = load buf+8K 1
expect z == 0x22
expect w == 0x33
# mprotect r then rw in between: the pages stay shared until written
a: store buf+16K 0x44 1
fork a c
a: r1 = mprotect buf 64K r
a: r2 = mprotect buf 64K rw
expect r1 == 0
expect r2 == 0
c: store buf+16K 0x55 1
a: u = load buf+16K 1
c: v = load buf+16K 1
expect u == 0x44
expect v == 0x55
a: store buf+16K 0x66 1
c: v2 = load buf+16K 1
expect v2 == 0x55
# a page whose other owners are gone is reused, not copied
exit b
exit c
a: store buf 0x12 1
expect /proc/vmstat:pgreuse >= 1
expect /proc/a/status:RssAnon == 12K
