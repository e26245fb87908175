# Lesson: watching memory (seed 8.2): what free, vmstat, top and slabtop print, and the kernel files
# they read it from: /proc/meminfo, /proc/vmstat, /proc/PID/statm and status, /proc/PID/smaps,
# /proc/slabinfo and the node files in sysfs.
#
# The tools compute nothing the kernel does not say: each column is a field of a file, or a sum or
# difference of fields. This lesson runs the tools (the machine's free, vmstat, top and slabtop
# read its /proc as procps-ng does and print what it prints) and does their arithmetic by hand
# beside them.

machine ram=128M cpus=2 aslr=off
mkswap /swapfile size=64M
swapon /swapfile
truncate /data size=8M
spawn app
app: buf = mmap 16M rw private,anon
app: write buf 16M fill=seq
app: f = mmap 8M r private file=/data
app: read f 8M

echo ""
echo "== free =="
echo "free (procps-ng 4) prints /proc/meminfo in KiB: total MemTotal, free MemFree, shared Shmem,"
echo "buff/cache Buffers + Cached + SReclaimable, available MemAvailable (the kernel's estimate of"
echo "what could be had without swapping: free memory above the watermarks plus the reclaimable"
echo "part of the page cache and slab), and used = total - available."
total = /proc/meminfo:MemTotal / 1K
avail = /proc/meminfo:MemAvailable / 1K
buffcache = (/proc/meminfo:Buffers + /proc/meminfo:Cached + /proc/meminfo:SReclaimable) / 1K
used = total - avail
free = /proc/meminfo:MemFree / 1K
shared = /proc/meminfo:Shmem / 1K
echo "       total      used      free    shared  buff/cache  available"
echo "Mem:" total used free shared buffcache avail
swapused = (/proc/meminfo:SwapTotal - /proc/meminfo:SwapFree) / 1K
swapfree = /proc/meminfo:SwapFree / 1K
echo "Swap:" /proc/meminfo:SwapTotal / 1K swapused swapfree
echo "The same numbers, as free prints them:"
free
echo "free -h shows each number in the smallest unit that keeps it to four characters (B, Ki, Mi,"
echo "Gi; a decimal when it fits), -w splits buff/cache"
echo "into buffers and cache, -t adds a Total line of RAM and swap together:"
free -h -w -t
echo "The 8 MiB file read through the page cache is buff/cache: memory in use, but available,"
echo "since reclaim can drop clean page-cache pages at once; the 16 MiB of anonymous memory is not."
expect /proc/meminfo:Cached == 8M
expect /proc/meminfo:MemAvailable > /proc/meminfo:MemFree

echo ""
echo "== top =="
echo "top's VIRT, RES and SHR columns are the first three numbers of /proc/PID/statm, in pages:"
echo "size (every VMA: VmSize), resident (VmRSS) and shared (resident file and shmem pages:"
echo "RssFile + RssShmem). The app's 8 MiB of file pages are 'shared' even though no other"
echo "process maps them: SHR counts pages that could be shared. %MEM is RES / MemTotal."
cat /proc/app/statm
shr = (/proc/app/status:RssFile + /proc/app/status:RssShmem) / 1K
echo "VIRT" /proc/app/status:VmSize / 1K "RES" /proc/app/status:VmRSS / 1K "SHR" shr "%MEM" /proc/app/status:VmRSS * 100 / /proc/meminfo:MemTotal
expect /proc/app/status:VmRSS == 24M
echo "top -b -n 1 prints the same, for every /proc/PID directory: the kernel threads (kswapd0,"
echo "kcompactd0, ...) have one too, with no memory of their own. Its summary reads /proc/uptime,"
echo "/proc/loadavg, /proc/stat and /proc/meminfo: MiB Mem's used is MemTotal - MemAvailable, as"
echo "in free. This machine's clock is its uptime (it has no wall clock), nobody logs in, and as"
echo "its work takes no simulated time, the CPUs are idle and every task's %CPU and TIME+ is 0:"
top -b -n 1

echo ""
echo "== smaps: who really pays =="
echo "RSS counts every page a process maps, even pages it shares; Pss (proportional set size)"
echo "charges each page 1/N to each of its N mappers. fork copies the page-table entries of"
echo "anonymous memory only: the child's file pages will fault in again from the page cache"
echo "(vma_needs_copy). So the child maps the 16 MiB of anonymous pages, shared with app, and"
echo "pays for half of them. smaps_rollup sums a process's smaps:"
fork app child
cat /proc/child/smaps_rollup
expect /proc/child/smaps_rollup:Rss == 16M
expect /proc/child/smaps_rollup:Pss == 8M
echo "A write copies a page for the writer: the child's 4 MiB of copies are its own"
echo "(Private_Dirty), the 12 MiB left are still shared (Shared_Dirty):"
child: write buf 4M fill=seq
expect /proc/child/smaps_rollup:Private_Dirty == 4M
expect /proc/child/smaps_rollup:Shared_Dirty == 12M
echo "child Pss" /proc/child/smaps_rollup:Pss / 1K "kB = 4096 + 12288 / 2"
expect /proc/child/smaps_rollup:Pss == 4M + 6M
exit child

echo ""
echo "== vmstat =="
echo "vmstat N prints, every N seconds, how much its counters grew: si and so are pswpin and"
echo "pswpout, bi and bo pgpgin and pgpgout (KiB read from and written to disk, swap included),"
echo "free, buff and cache come from /proc/meminfo. A second process pushes the first to swap:"
so0 = /proc/vmstat:pswpout
bo0 = /proc/vmstat:pgpgout
spawn hog
hog: big = mmap 96M rw private,anon
hog: write big 96M fill=seq
tick 1s
echo "so (pages swapped out):" /proc/vmstat:pswpout - so0 "  bo (KiB written):" /proc/vmstat:pgpgout - bo0
expect /proc/vmstat:pswpout > so0
expect /proc/vmstat:pgpgout - bo0 == (/proc/vmstat:pswpout - so0) * 4
echo "vmstat with no interval prints one report: the averages since boot. Its rates are each"
echo "counter times USER_HZ (100) over every CPU tick of /proc/stat's cpu line. This machine's"
echo "CPUs are idle all the time its clock moves (its work takes no simulated time): one second"
echo "of two CPUs is 200 idle ticks, so id is 100 and so is pswpout * 4 KiB * 100 / 200:"
vmstat
echo "so:" /proc/vmstat:pswpout * 4 * 100 / 200
echo "With a delay and a count, vmstat moves the machine's clock between its reports, as its"
echo "sleep lets time pass on a real machine; each later line is what grew per second:"
vmstat 1 3
echo "vmstat -s lists the counters themselves (note 'swap cache': procps's name for Cached +"
echo "SReclaimable, the page cache, not SwapCached):"
vmstat -s
echo "The swapped-out pages now show in each process's VmSwap and in smaps' Swap:"
echo "app VmSwap" /proc/app/status:VmSwap / 1K "kB, hog VmSwap" /proc/hog/status:VmSwap / 1K "kB"
expect /proc/app/status:VmSwap + /proc/hog/status:VmSwap == /proc/meminfo:SwapTotal - /proc/meminfo:SwapFree - /proc/meminfo:SwapCached
exit hog

echo ""
echo "== slabtop =="
echo "slabtop reads /proc/slabinfo: for each cache its objects in use, its objects in all, their"
echo "size, and the slabs that hold them. Here SLUB's own caches hold the only objects: nothing"
echo "has used kmalloc yet (scenarios/02-slab.mm fills some):"
slabtop

echo ""
echo "== Per node: sysfs =="
echo "/sys/devices/system/node/nodeN/meminfo is /proc/meminfo for one node, each line starting"
echo "'Node N'; numastat counts where allocations landed (scenarios/71-numa.mm):"
cat /sys/devices/system/node/node0/meminfo
verify
