# Lesson: a process's address space (seed 2.1, 2.2): text, data, heap, mmap area and stack, the VMAs
# that describe them, ASLR, brk and mmap, and how the kernel finds room for a new mapping.

machine ram=128M seed=42 aslr=off
echo "A process's memory is a list of VMAs: ranges with one protection each. With ASLR off"
echo "the layout is the textbook one: the program at 0x555555554000 (ELF_ET_DYN_BASE, 2/3 of"
echo "the 47-bit user space), the stack ending at the top, mmap_base 128 MiB below it. The"
echo "first thing mapped below mmap_base is the kernel's own: [vvar] and [vvar_vclock] (data the"
echo "kernel publishes, read-only) and [vdso] (code every program can call without a system"
echo "call: gettimeofday, clock_gettime). The last line, [vsyscall], is no VMA of the process: it is"
echo "the kernel's fixed page at -10 MiB that very old programs called, execute-only (and"
echo "emulated) today, shown after every process's own VMAs."
spawn a
cat /proc/a/maps

echo ""
echo "== The heap: brk =="
echo "malloc's small allocations come from the heap, which brk moves up a page at a time."
a: start = brk 0
a: top = brk start+132K
expect top == start + 132K
cat /proc/a/maps
# VmData: .data and .bss (a page each) and the heap
expect /proc/a/status:VmData == 8K + 132K

echo ""
echo "== The mmap area =="
echo "mmap finds room top-down from mmap_base: the first mapping ends where the vDSO's 32K"
echo "begin, the next one right below it - and since both are anonymous and read-write, they"
echo "merge into one VMA."
a: m1 = mmap 1M rw private,anon
a: m2 = mmap 1M rw private,anon
expect m1 == 0x7ffff7fff000 - 32K - 1M
expect m2 == m1 - 1M
cat /proc/a/maps
echo "A different protection makes a VMA of its own:"
a: m3 = mmap 64K r private,anon
cat /proc/a/maps

echo ""
echo "== Nothing is in memory yet =="
echo "Mappings cost address space (VmSize), not memory (VmRSS): pages come at the first touch."
echo "VmSize" /proc/a/status:VmSize / 1K "kB, VmRSS" /proc/a/status:VmRSS / 1K "kB"
expect /proc/a/status:VmRSS == 0
echo "Writing both megabytes faults their 512 pages in:"
a: write m2 2M fill=seq
expect /proc/a/status:VmRSS == 2M
cat /proc/a/status

echo ""
echo "== ASLR =="
echo "With randomisation (the default) every region moves by a random offset from the machine's"
echo "seed: the program, the heap's start, mmap_base and the stack top. (No [heap] line: the"
echo "heap has no VMA until the first brk.)"
machine ram=128M seed=42
spawn b
cat /proc/b/maps
verify
