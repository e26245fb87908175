# A MAP_SHARED file write dirties the page-cache page and reaches the host file on msync(MS_SYNC),
# not before; MS_ASYNC does nothing more (Linux 2.6.19 on); munmap and exit write back too.
machine ram=128M
truncate /data size=64K
spawn a
a: p = mmap 64K rw shared file=/data
a: store p+8 0x1122334455667788
a: store p+40K 0xab 1
v = file_load /data 8
expect v == 0
expect /proc/meminfo:Dirty == 8K
expect /proc/vmstat:nr_dirtied == 2
a: r = msync p 64K async
expect r == 0
v = file_load /data 8
expect v == 0
a: r = msync p 64K sync
expect r == 0
v = file_load /data 8
expect v == 0x1122334455667788
v = file_load /data 40K 1
expect v == 0xab
expect /proc/meminfo:Dirty == 0
expect /proc/vmstat:nr_written == 2
# the PTEs were cleaned: the next store dirties the page again
a: store p+16 0x77 1
expect /proc/meminfo:Dirty == 4K
expect /proc/vmstat:nr_dirtied == 3
# the kernel's errors
a: r = msync p+1 4K sync
expect r == -EINVAL
a: r = msync p 4K sync,async
expect r == -EINVAL
a: q = mmap 4K r private,anon addr=p+128K
a: r = msync p 160K sync
expect r == -ENOMEM
a: r = msync p-4K 4K sync
expect r == -ENOMEM
a: r = mlock p 4K
a: r = msync p 4K invalidate
expect r == -EBUSY
expect /proc/meminfo:Dirty == 0
# munmap writes back what the mapping dirtied
a: store p+20K 0x55 1
a: r = munmap p 64K
v = file_load /data 20K 1
expect v == 0x55
# so does exit
spawn b
b: p = mmap 8K rw shared file=/data
b: store p 0x99 1
exit b
v = file_load /data 0 1
expect v == 0x99
expect /proc/meminfo:Dirty == 0
# the first fault read the whole 64K file around it (read-around of 128K): its pages stay cached
# after the last mapping goes
expect /proc/meminfo:Cached == 64K
