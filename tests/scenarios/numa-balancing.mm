# Automatic NUMA balancing (kernel/sched/fair.c task_numa_work, mm/memory.c do_numa_page): with
# kernel.numa_balancing=1 the tick scans each process after numa_balancing_scan_delay (1s), then
# every scan period (1s): its PTEs become PROT_NONE (numa_pte_updates), except for pages already on
# the node the process runs on. The next access takes a NUMA hinting fault (numa_hint_faults;
# numa_hint_faults_local when the page is on the CPU's node) and a page on another node moves to the
# CPU's node (numa_pages_migrated). A page two processes map moves only once the last fault on it
# came from the same node (should_numa_migrate_memory's two-stage filter).
machine ram=256M nodes=2 cpus=4 aslr=off
cat /proc/sys/kernel/numa_balancing
expect /proc/sys/kernel/numa_balancing == 0
spawn a
a: p = mmap 64K rw private,anon
a: r = madvise p 64K nohugepage
a: write p 64K fill=seq
expect /sys/devices/system/node/node0/meminfo:AnonPages == 64K
# off: the tick scans nothing
tick 5s
expect /proc/vmstat:numa_pte_updates == 0
echo 1 > /proc/sys/kernel/numa_balancing
# the first tick starts the scan delay; the process now runs on CPU 2 (node 1)
tick 1ms
cpu 2
tick 500ms
expect /proc/vmstat:numa_pte_updates == 0
tick 500ms
expect /proc/vmstat:numa_pte_updates == 16
# half the pages read from node 1: 8 remote hinting faults, the 8 pages move to node 1
a: read p 32K
expect /proc/vmstat:numa_hint_faults == 8
expect /proc/vmstat:numa_hint_faults_local == 0
expect /proc/vmstat:numa_pages_migrated == 8
expect /sys/devices/system/node/node1/meminfo:AnonPages == 32K
cat /proc/a/numa_maps
# a hinting fault restores the PTE: another read faults no more
a: read p 32K
expect /proc/vmstat:numa_hint_faults == 8
# the next scan skips the pages already on node 1 and finds the 8 still marked: nothing new
tick 1s
expect /proc/vmstat:numa_pte_updates == 16
# back on node 0: a hinting fault there is local and moves nothing
cpu 0
a: write p+32K 16K fill=seq
expect /proc/vmstat:numa_hint_faults == 12
expect /proc/vmstat:numa_hint_faults_local == 4
expect /proc/vmstat:numa_pages_migrated == 8
verify
# an explicit policy does not migrate on fault (no MPOL_F_MOF): its VMAs are not scanned
a: q = mmap 64K rw private,anon
a: r = madvise q 64K nohugepage
a: r = mbind q 64K bind nodes=0
a: write q 64K fill=seq
cpu 2
tick 1s
a: read q 64K
expect /proc/vmstat:numa_pages_migrated == 8
# a page two processes map: b and c share a file's page cache (MAP_SHARED, scanned wherever they
# run). A fault from node 1 right after one from node 0 does not move the page; a second fault from
# node 1 does (should_numa_migrate_memory's two-stage filter)
exit a
truncate /tmp/shared size=16K
cpu 0
spawn b
spawn c
b: f = mmap 16K rw shared file=/tmp/shared
c: g = mmap 16K rw shared file=/tmp/shared
b: read f 16K
c: read g 16K
u = /proc/vmstat:numa_pte_updates
tick 1s
expect /proc/vmstat:numa_pte_updates == u + 8
h = /proc/vmstat:numa_hint_faults
b: read f 4K
cpu 2
c: read g 4K
expect /proc/vmstat:numa_hint_faults == h + 2
expect /proc/vmstat:numa_pages_migrated == 8
tick 1s
c: read g 4K
expect /proc/vmstat:numa_pages_migrated == 9
c: st = move_pages g 1
expect st[0] == 1
b: st = move_pages f 2
expect st[0] == 1
expect st[1] == 0
cat /proc/b/numa_maps
verify
