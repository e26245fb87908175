# procps top -b -n 1 over the machine's /proc, as procps-ng 4.0.2 prints it (checked against the
# host's top over the same files, the clock aside: the host's is its own time of day, the
# machine's is btime + uptime). Kernel threads have /proc/PID directories and are listed; VIRT,
# RES and SHR are /proc/PID/statm's size, resident and shared pages in KiB, scaled when they do
# not fit (12.0g); %MEM is RES over MemTotal.
machine ram=128M cpus=2 aslr=off
sysctl vm.overcommit_memory=1
mkswap /swapfile size=64M
swapon /swapfile
truncate /data size=8M
spawn app
app: buf = mmap 12G rw private,anon
app: write buf 16M fill=seq
app: f = mmap 8M r private file=/data
app: read f 8M
spawn user
user: setuid 1000
tick 3723s
top -b -n 1
echo "app: VIRT" /proc/app/status:VmSize / 1K "RES" /proc/app/status:VmRSS / 1K "SHR" (/proc/app/status:RssFile + /proc/app/status:RssShmem) / 1K "%MEM*10" /proc/app/status:VmRSS * 1000 / /proc/meminfo:MemTotal
expect /proc/stat:procs_running == 2
expect /proc/app/status:VmRSS == 24M
verify
