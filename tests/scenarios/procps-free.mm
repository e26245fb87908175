# procps free over the machine's /proc/meminfo: each column is a field or a sum of fields, as
# procps-ng 4.0.2's library/meminfo.c derives them. The hand arithmetic below each free prints the
# same numbers; the golden output (procps-free.mm.out) holds both, and was checked against the
# host's own free(1) run over the same /proc/meminfo.
machine ram=128M aslr=off
mkswap /swapfile size=32M
swapon /swapfile
truncate /data size=8M
spawn app
app: buf = mmap 120M rw private,anon
app: write buf 120M fill=seq
app: f = mmap 8M r private file=/data
app: read f 8M

free
total = /proc/meminfo:MemTotal / 1K
avail = /proc/meminfo:MemAvailable / 1K
memfree = /proc/meminfo:MemFree / 1K
buffcache = (/proc/meminfo:Buffers + /proc/meminfo:Cached + /proc/meminfo:SReclaimable) / 1K
shared = /proc/meminfo:Shmem / 1K
echo "Mem:" total total - avail memfree shared buffcache avail
swapused = (/proc/meminfo:SwapTotal - /proc/meminfo:SwapFree) / 1K
swaptotal = /proc/meminfo:SwapTotal / 1K
echo "Swap:" swaptotal swapused swaptotal - swapused
expect swapused > 0
expect /proc/meminfo:Cached > 0

# -w splits buff/cache; -t adds RAM and swap; -v the commit limit against what is committed; -m
# divides by 1024 and truncates.
free -w -t -v
echo "Total:" total + swaptotal total - avail + swapused memfree + swaptotal - swapused
limit = /proc/meminfo:CommitLimit / 1K
committed = /proc/meminfo:Committed_AS / 1K
echo "Comm:" limit committed limit - committed
free -m
echo "Mem:" total / 1024 (total - avail) / 1024 memfree / 1024
free -h
free --si -h
free -b -t

# HighMem: -l splits low and high memory (LowTotal, HighTotal of an i386 kernel).
machine ram=2G arch=i386
spawn big
big: p = mmap 64M rw private,anon
big: write p 64M fill=seq
free -l
lowtotal = /proc/meminfo:LowTotal / 1K
lowfree = /proc/meminfo:LowFree / 1K
echo "Low:" lowtotal lowtotal - lowfree lowfree
hightotal = /proc/meminfo:HighTotal / 1K
highfree = /proc/meminfo:HighFree / 1K
echo "High:" hightotal hightotal - highfree highfree
free -lh --si
verify
