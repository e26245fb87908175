# The C library's malloc in a process: small blocks from the brk heap (which grows by 128K at a
# time), reused after free with neighbours coalesced; blocks of 128K or more in mappings of their
# own; a free top of 128K or more trimmed with brk; a corrupted free kills with SIGABRT.
machine ram=64M seed=21 aslr=off
spawn a
a: start = brk 0
a: m1 = malloc 100
a: m2 = malloc 100
expect m1 >= start
expect m2 == m1 + 112
a: top = brk 0
expect top > start + 128K
a: write m1 100 fill=seq
a: write m2 100 fill=seq
a: free m1
a: m3 = malloc 50
expect m3 == m1
a: big = malloc 200K
expect big > top
cat /proc/a/maps
a: free big
a: c = calloc 10 8
a: x = load c
expect x == 0
a: r = realloc m2 300
a: y = load r 1
a: z = load m2 1
expect y == z
a: free r
a: free c
a: free m3
a: top2 = brk 0
expect top2 < top
# lots of small blocks grow the heap; freeing them all gives the top back
repeat 40 as i
  a: b[i] = malloc 4000
end
expect /proc/a/status:VmData > 160K
repeat 40 as i
  a: free b[i]
end
expect /proc/a/status:VmData < 160K
verify
a: mallopt mmap_threshold 4K
a: q = malloc 8K
cat /proc/a/maps
expect signal SIGABRT a: free q+8
