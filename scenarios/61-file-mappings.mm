# Lesson: the page cache and file mappings (seed 6): a file's pages live in the page cache, one
# copy for every process and every mapping; MAP_SHARED writes dirty those pages and reach the file
# on msync; MAP_PRIVATE writes copy them; read(2) and write(2) go through the same cache; reads
# and faults read ahead of need, and a read fault maps the cached pages around it.

machine ram=128M seed=7
echo "The machine's own files live in a host directory it owns; truncate makes one and sizes it:"
truncate /notes size=16K
n = file_size /notes
echo "size of /notes:" n
expect n == 16K

echo ""
echo "== A shared mapping =="
echo "mmap of a file does not read it: a page comes in on the first touch, from the file into the"
echo "page cache (a major fault, pgmajfault), then into the page table. The fault reads the pages"
echo "around it too (readahead: up to read_ahead_kb, 128 KiB): the whole 16 KiB file here."
spawn writer
writer: p = mmap 16K rw shared file=/notes
cat /proc/writer/maps
writer: store p 0x6f6c6c6568
expect /proc/vmstat:pgmajfault == 1
expect /proc/meminfo:Cached == 16K
echo "The store dirtied the cached page: the file on disk has not changed yet."
expect /proc/meminfo:Dirty == 4K
v = file_load /notes 0
expect v == 0
echo "msync(MS_SYNC) writes the dirty pages of the range to the file and cleans them (nr_written);"
echo "their PTEs are write-protected again, so the next store is noticed and dirties the page anew."
writer: r = msync p 16K sync
v = file_load /notes 0
echo "the file's first 8 bytes, read as one little-endian number, are now" v
echo "= 0x6f6c6c6568: the bytes 68 65 6c 6c 6f, 'hello'"
expect v == 0x6f6c6c6568
expect /proc/meminfo:Dirty == 0
expect /proc/vmstat:nr_written == 1

echo ""
echo "== Another process, the same page =="
echo "A second process mapping the file finds the page cached: a minor fault, and the same frame."
echo "A read fault maps every cached page around it at once (fault-around): all four here."
spawn reader
reader: q = mmap 16K r shared file=/notes
reader: x = load q
expect x == 0x6f6c6c6568
expect /proc/vmstat:pgmajfault == 1
pw = pagewalk writer p
pr = pagewalk reader q
expect pw == pr
echo "rmap finds both PTEs through the file's i_mmap list of VMAs:"
n = rmap pw / 4K
expect n == 2
echo "Each process is charged half the shared page in its proportional set size (Pss_File), and the"
echo "reader the whole of the three pages only it maps:"
cat /proc/reader/smaps_rollup
expect /proc/reader/smaps_rollup:Pss_File == 2K + 12K

echo ""
echo "== A private mapping copies on write =="
spawn scribbler
scribbler: s = mmap 16K rw private file=/notes
scribbler: store s 0x21 1
scribbler: y = load s
reader: x = load q
echo "the private copy reads" y "(0x6f6c6c6521: '!ello'), the shared page still" x "('hello')"
expect y != x
expect /proc/scribbler/status:RssAnon == 4K
echo "The copy is anonymous memory: it never reaches the file."
scribbler: r = msync s 16K sync
v = file_load /notes 0 1
expect v == 0x68

echo ""
echo "== Past the end of the file =="
echo "The file is 16 KiB: a mapping's page beyond it has nothing behind it, and touching it is SIGBUS."
spawn prober
prober: big = mmap 32K r shared file=/notes
expect signal SIGBUS prober: load big+16K

echo ""
echo "== read(2) and write(2) =="
echo "pwrite and pread use the same cache, with no mapping at all. A page read twice is activated"
echo "(mark_page_accessed): it moves to the active file LRU list."
reader: buf = mmap 8K rw private,anon
reader: n = pread /notes buf 4K off=8K
reader: n = pread /notes buf 4K off=8K
expect /proc/meminfo:Active(file) == 4K
echo "Active(file)" /proc/meminfo:Active(file) / 1K "kB, Inactive(file)" /proc/meminfo:Inactive(file) / 1K "kB"

echo ""
echo "== drop_caches =="
echo "echo 1 > /proc/sys/vm/drop_caches drops the clean page cache nobody maps (the kernel logs"
echo "'mmlab (PID): drop_caches: 1' in dmesg). Two processes exit, leaving their pages unmapped:"
exit reader
exit scribbler
echo "Cached before:" /proc/meminfo:Cached / 1K "kB"
echo 1 > /proc/sys/vm/drop_caches
echo "Cached after:" /proc/meminfo:Cached / 1K "kB"
expect /proc/meminfo:Cached == 4K
echo "Only the writer's mapped page is left. verify: everything written is still where it should be."
verify

echo ""
echo "== Readahead and fault-around =="
echo "A sequential scan of an uncached 1 MiB file mapping: the first fault reads 128 KiB around it"
echo "and marks a page PG_readahead; touching a marked page reads the next window ahead of need, so"
echo "the scan takes a single major fault. Fault-around maps 16 cached pages per fault."
truncate /scan size=1M
spawn scanner
scanner: m = mmap 1M r private file=/scan
f = /proc/vmstat:pgfault
j = /proc/vmstat:pgmajfault
scanner: read m 1M
echo "major faults:" /proc/vmstat:pgmajfault - j "of" /proc/vmstat:pgfault - f "faults for 256 pages"
expect /proc/vmstat:pgmajfault == j + 1
echo "A second mapping finds it all cached: one minor fault per 64 KiB block (fault_around_bytes):"
cat /sys/kernel/debug/fault_around_bytes
spawn rescanner
rescanner: m = mmap 1M r private file=/scan
f = /proc/vmstat:pgfault
rescanner: read m 1M
expect /proc/vmstat:pgfault <= f + 17
echo "MADV_RANDOM turns readahead off for a mapping: one major fault per page. So does read_ahead_kb"
echo "0 on the backing device (/sys/class/bdi/0:2 for the machine's files), for files opened after:"
cat /sys/class/bdi/0:2/read_ahead_kb
exit scanner
exit rescanner
echo 1 > /proc/sys/vm/drop_caches
spawn random
random: m = mmap 1M r private file=/scan
random: r = madvise m 1M random
j = /proc/vmstat:pgmajfault
random: read m 1M
expect /proc/vmstat:pgmajfault == j + 256
echo "See tests/scenarios/readahead-*.mm for the window's growth, pread and the knobs."

echo ""
echo "== Under memory pressure =="
echo "On a 64 MiB machine without swap, a process writes 96 MiB through a shared file mapping."
echo "Reclaim takes page-cache pages from the inactive file list, unmaps them, writes the dirty"
echo "ones to the file (nr_vmscan_write) and frees them; anonymous memory could not go anywhere."
machine ram=64M
truncate /big size=96M
spawn big
big: p = mmap 96M rw shared file=/big
big: write p 96M fill=seq
expect /proc/vmstat:pgsteal_file > 0
expect /proc/vmstat:nr_vmscan_write > 0
expect /proc/vmstat:pgscan_anon == 0
echo "Every byte is in the page cache or in the file; touching an evicted page reads it back:"
verify
echo "With swap, vm.swappiness decides which list reclaim scans: scenarios/42-reclaim.mm."
