# A file mapping's pages wholly past the end of the file raise SIGBUS; the tail of the last page
# reads zeros, and what a process writes there never reaches the file.
machine ram=128M
truncate /f size=5000
spawn a
a: p = mmap 16K rw shared file=/f
a: x = load p+4088
expect x == 0
# the tail of page 1, past byte 5000, reads zeros
a: x = load p+5000
expect x == 0
a: store p+6000 0x1234 2
a: r = msync p 16K sync
expect r == 0
n = file_size /f
expect n == 5000
# page 2 starts at 8192, past the end: SIGBUS, and the process dies
expect signal SIGBUS a: load p+8K
spawn b
b: p = mmap 4K r private file=/f offset=8K
expect signal SIGBUS b: load p
# a private mapping behaves the same
spawn c
c: p = mmap 16K rw private file=/f
c: store p+100 7 1
expect signal SIGBUS c: store p+12K 7 1
# growing the file makes the page valid; cutting it takes the pages back
spawn d
d: p = mmap 16K rw shared file=/f
d: x = load p+6000 2
expect x == 0x1234
truncate /f size=16K
# the bytes past the old end were zeroed as the file grew (pagecache_isize_extended)
d: x = load p+6000 2
expect x == 0
d: store p+12K 0x42 1
d: r = msync p 16K sync
v = file_load /f 12K 1
expect v == 0x42
# pages 0 and 1 mapped by the read fault (fault-around), page 3 by the store
expect /proc/d/status:RssFile == 12K
truncate /f size=4K
expect /proc/d/status:RssFile == 4K
expect signal SIGBUS d: load p+4K
