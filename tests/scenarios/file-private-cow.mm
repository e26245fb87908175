# MAP_PRIVATE file mappings: reads share the page-cache page, a write copies it into an anonymous
# page that never reaches the file; the kernel's mmap errors for files.
machine ram=128M
truncate /f size=8K
spawn w
w: p = mmap 8K rw shared file=/f
w: store p 0x1111 2
spawn a
a: q = mmap 8K rw private file=/f
a: x = load q 2
expect x == 0x1111
# w's fault read both pages around it; a's read fault maps both (fault-around)
expect /proc/a/status:RssFile == 8K
expect /proc/a/status:RssAnon == 0
# the write copies: the private copy has it, the file and the shared mapping do not
a: store q 0x2222 2
a: x = load q 2
expect x == 0x2222
w: y = load p 2
expect y == 0x1111
expect /proc/a/status:RssFile == 4K
expect /proc/a/status:RssAnon == 4K
w: r = msync p 8K sync
v = file_load /f 0 2
expect v == 0x1111
# a later write through the shared mapping is seen by the private one only where it did not copy
w: store p+4K 0x3333 2
a: z = load q+4K 2
expect z == 0x3333
a: x = load q 2
expect x == 0x2222
verify
# errors: a host file is opened read-only, so a shared writable mapping of it is -EACCES
a: r = mmap 4K rw shared file=/bin/sh
expect r == -EACCES
a: r = mmap 4K r shared file=/bin/sh
expect r > 0
# ...and cannot be made writable later (VM_MAYWRITE is gone)
a: e = mprotect r 4K rw
expect e == -EACCES
a: r = mmap 4K rw private file=/bin/sh
expect r > 0
a: r = mmap 4K r private file=/f offset=100
expect r == -EINVAL
a: r = mmap 4K r private,hugetlb file=/f
expect r == -EINVAL
a: r = mmap 4K r private file=/tmp
expect r == -ENODEV
a: r = mmap 4K r private file=/no/such/file
expect r == -ENOENT
a: r = mmap 0 r private file=/f
expect r == -EINVAL
# an active swap file is written by swap behind the page cache: no write may go through it
fallocate /swapfile size=1M
mkswap /swapfile
swapon /swapfile
a: r = mmap 4K rw shared file=/swapfile
expect r == -ETXTBSY
a: n = pwrite /swapfile q 4
expect n == -ETXTBSY
r = truncate /swapfile size=0
expect r == -ETXTBSY
swapoff /swapfile
r = truncate /swapfile size=0
expect r == 0
