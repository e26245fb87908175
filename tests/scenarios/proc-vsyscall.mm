# The gate VMA (arch/x86/entry/vsyscall/vsyscall_64.c): [vsyscall] at 0xffffffffff600000, shown
# last in maps and smaps, execute-only as 6.18's vsyscall=xonly leaves it. It is no mm's: not in
# the VMA tree, so neither VmSize nor smaps_rollup counts it, nothing can be mapped over it, and
# with no PTE behind it a load is SIGSEGV (after the kernel's warning: the emulation is for calls,
# not reads) and so is a store. i386 has no vsyscall page.
machine ram=64M seed=3 aslr=off
spawn a
cat /proc/a/maps
# the program's three pages and heap, the vDSO's 32K and the stack: not the gate's page
expect /proc/a/status:VmSize == 3 * 4K + 8K + 32K + 132K
expect /proc/a/smaps_rollup:Rss == 0
a: r = mmap 4K rw private,anon,fixed addr=0xffffffffff600000
expect r == -ENOMEM
pagemap a 0xffffffffff600000 4K
expect signal SIGSEGV a: t = load 0xffffffffff600000 8
spawn b
expect signal SIGSEGV b: store 0xffffffffff600008 1 1
dmesg
spawn c
fork c d
cat /proc/d/smaps
machine ram=64M arch=i386 aslr=off
spawn e
cat /proc/e/maps
