# Lesson: malloc in user space (seed 4.1): the C library carves small blocks from the heap, which
# it grows with brk, and gives large ones a mapping of their own; the kernel only sees brk and mmap.

machine ram=128M seed=5 aslr=off
spawn app
echo "A fresh process has no heap yet: the break sits right after its data."
a0 = /proc/app/status:VmData
app: start = brk 0

echo ""
echo "== Small blocks: the brk heap =="
echo "The first malloc moves the break up by the request plus a 128 KiB pad (M_TOP_PAD), so that"
echo "the next hundred small mallocs need no system call at all."
app: p1 = malloc 24
app: p2 = malloc 24
app: top = brk 0
expect top - start >= 128K
echo "Each block has a 16-byte header (its size and flags) before it: 24 bytes take a 32-byte chunk."
expect p2 - p1 == 32
cat /proc/app/maps
expect /proc/app/status:VmData - a0 >= 128K

echo ""
echo "== Free blocks are reused =="
app: free p1
app: p3 = malloc 20
expect p3 == p1
echo "Only the pages malloc has written are in memory: the heap is 132K of address space but one"
echo "page of RAM, plus the .data page that holds malloc's own state (glibc's main_arena)."
expect /proc/app/status:RssAnon == 8K

echo ""
echo "== Large blocks: mmap =="
echo "From 128 KiB (M_MMAP_THRESHOLD) malloc asks the kernel for a mapping of its own, which free"
echo "unmaps: the memory goes straight back, whatever else the heap holds."
app: big = malloc 1M
cat /proc/app/maps
app: free big
cat /proc/app/maps

echo ""
echo "== Trimming the heap =="
echo "When 128 KiB or more at the top of the heap are free, free gives them back with brk."
repeat 64 as i
  app: b[i] = malloc 4000
end
app: high = brk 0
repeat 64 as i
  app: free b[i]
end
app: low = brk 0
expect low < high
echo "Each malloc and free was loads and stores of the process: each first touch of a page was a"
echo "minor page fault (min_flt, the 10th field of /proc/PID/stat; pgfault in /proc/vmstat):"
cat /proc/app/stat
echo "pgfault:" /proc/vmstat:pgfault
expect /proc/vmstat:pgfault > 0
verify
