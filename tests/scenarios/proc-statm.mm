# /proc/PID/statm (fs/proc/array.c proc_pid_statm): size resident shared text lib data dt, in pages.
# size is VmSize, resident VmRSS, shared the resident file and shmem pages (RssFile + RssShmem),
# text VmExe, data VmData + VmStk; lib and dt are 0. A private file mapping read in counts as
# shared, anonymous memory written does not; after munmap of the file both go down. Fault-around
# is off (a page per fault), so that the file pages mapped are exactly those read, wherever the
# mapping lands relative to a 64 KiB block.
machine ram=64M aslr=off
echo 4096 > /sys/kernel/debug/fault_around_bytes
truncate /data size=1M
spawn a
cat /proc/a/statm
a: buf = mmap 2M rw private,anon
a: write buf 1M fill=seq
a: f = mmap 1M r private file=/data
a: read f 512K
cat /proc/a/statm
expect /proc/a/status:VmRSS == 1M + 512K
expect /proc/a/status:RssFile == 512K
a: r = munmap f 1M
cat /proc/a/statm
expect /proc/a/status:RssFile == 0
