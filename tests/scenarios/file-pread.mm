# read(2) and write(2) through the page cache: pwrite dirties cached pages without any mapping,
# pread copies them out and marks them accessed (a second read activates the page), a mapping
# sees what pwrite wrote, and a bad buffer is -EFAULT without a signal.
machine ram=128M
truncate /log size=0
spawn a
a: buf = mmap 16K rw private,anon
a: write buf 16K fill=seq
a: n = pwrite /log buf 10000
expect n == 10000
n = file_size /log
expect n == 0
expect /proc/meminfo:Dirty == 12K
expect /proc/meminfo:Mapped == 0
expect /proc/meminfo:Inactive(file) == 12K
a: m = mmap 12K r shared file=/log
a: x = load m+100 1
a: y = load buf+100 1
expect x == y
# pread into another buffer: the same bytes; the pages are referenced once...
a: dst = mmap 16K rw private,anon
a: n = pread /log dst 8K off=4K
expect n == 10000 - 4K
a: x = load dst 8
a: y = load buf+4K 8
expect x == y
expect /proc/meminfo:Active(file) == 0
# ...and a second read activates them (mark_page_accessed)
a: n = pread /log dst 8K off=4K
expect /proc/meminfo:Active(file) == 8K
# reads stop at the end of the file
a: n = pread /log dst 16K off=8K
expect n == 10000 - 8K
a: n = pread /log dst 16K off=20K
expect n == 0
# a buffer the process may not write: -EFAULT, and the process lives on
a: ro = mmap 4K r private,anon
a: n = pread /log ro 100
expect n == -EFAULT
a: n = pread /log 0 100
expect n == -EFAULT
# a host file is read-only
a: n = pwrite /bin/sh buf 10
expect n == -EBADF
a: n = pread /bin/sh dst 4
expect n == 4
a: x = load dst 4
expect x == 0x464c457f
verify
