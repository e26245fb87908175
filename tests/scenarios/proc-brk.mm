# brk grows the heap, mprotect splits part of it, brk grows again and shrinks back to the start:
# the heap's VMAs, pages and page tables go.
machine ram=128M seed=8 aslr=off
spawn a
a: start = brk 0
a: top = brk start+64K
expect top == start + 64K
a: write start 64K fill=seq
a: r = mprotect start+16K 16K r
a: old = sbrk 32K
expect old == start + 64K
a: write start+64K 32K fill=seq
cat /proc/a/maps
expect /proc/a/status:RssAnon == 96K
verify
a: old = sbrk -96K
expect old == start + 96K
a: now = brk 0
expect now == start
cat /proc/a/maps
expect /proc/a/status:RssAnon == 0
expect /proc/meminfo:AnonPages == 0
# below the start of the heap brk does not move
a: r = brk start-4K
expect r == start
verify
