# madvise: DONTNEED drops the pages of a range (they read zero after); WIPEONFORK gives a child zeros
# where the parent keeps its data; DONTFORK leaves the range out of the child.
machine ram=64M seed=14 aslr=off
spawn a
a: buf = mmap 64K rw private,anon
a: write buf 64K fill=0x5a
expect /proc/a/status:RssAnon == 64K
a: r = madvise buf+16K 32K dontneed
expect r == 0
expect /proc/a/status:RssAnon == 32K
a: x = load buf+16K 1
a: y = load buf+48K 1
expect x == 0
expect y == 0x5a
# a hole in the range: the mapped parts are advised, the answer is ENOMEM
a: r = madvise buf-4K 4K dontneed
expect r == -ENOMEM
a: r = madvise buf+1 4K dontneed
expect r == -EINVAL
a: w = mmap 16K rw private,anon
a: write w 16K fill=seq
a: r = madvise w 8K wipeonfork
expect r == 0
a: d = mmap 16K rw private,anon
a: r = madvise d 16K dontfork
cat /proc/a/maps
fork a b
b: z = load w 1
a: z2 = load w 1
b: k = load w+8K 1
a: k2 = load w+8K 1
expect z == 0
expect z2 != 0
expect k == k2
cat /proc/b/maps
expect signal SIGSEGV b: load d
a: r = madvise w 8K keeponfork
cat /proc/a/maps
verify
