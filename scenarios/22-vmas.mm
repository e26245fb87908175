# Lesson: the memory descriptor (seed 2.2): mm_struct and vm_area_struct.
#
# Each process has one mm_struct: its page tables (pgd), the layout (mmap_base, start_brk, brk,
# start_stack), its counters (total_vm, the RSS counters) and its VMAs. A vm_area_struct is one
# range [vm_start, vm_end) with one protection and one backing (anonymous or a file at an offset).
# The VMAs are kept sorted twice, as the kernel did up to 6.0: in a list by address (for walking
# them all: /proc/PID/maps, fork, exit) and in a red-black tree (for find_vma in O(log n) on every
# page fault), augmented with the largest free gap below each node so that mmap finds room
# without walking the list. (Linux 6.1 replaced both by one maple tree; what they answer is the
# same.)

machine ram=64M aslr=off
spawn a
echo "== One VMA per range of one kind =="
echo "/proc/PID/maps walks the VMAs in address order: start-end, protection, offset, device,"
echo "inode, name. /proc/PID/status shows the mm_struct's totals (VmSize is total_vm):"
cat /proc/a/maps
echo "VmSize" /proc/a/status:VmSize / 1K "kB"

echo ""
echo "== Merging =="
echo "Three mmaps of 64 KiB, anonymous and read-write: each lands right below the last (mmap works"
echo "top-down from mmap_base), and since nothing tells them apart, vma_merge makes them one VMA:"
a: m1 = mmap 64K rw private,anon
a: m2 = mmap 64K rw private,anon
a: m3 = mmap 64K rw private,anon
expect m2 == m1 - 64K
expect m3 == m2 - 64K
cat /proc/a/maps

echo ""
echo "== Splitting =="
echo "mprotect of the middle 64 KiB gives it another protection: it cannot stay in the same VMA,"
echo "so the VMA is split in three (__split_vma), each with its own flags:"
a: r = mprotect m2 64K r
expect r == 0
cat /proc/a/maps
echo "Giving it its old protection back merges the three again:"
a: r = mprotect m2 64K rw
cat /proc/a/maps
echo "munmap of the middle cuts a hole: two VMAs, and a gap between them."
a: r = munmap m2 64K
cat /proc/a/maps

echo ""
echo "== find_vma: every fault starts with a lookup =="
echo "A fault looks up the VMA that contains the address in the tree. The hole has none, so a"
echo "touch there is a segmentation fault (SIGSEGV), while both sides work:"
a: store m1 1 1
a: store m3 1 1
expect signal SIGSEGV a: store m2 1 1
echo "(dmesg holds the kernel's line for it: a[1]: segfault at ADDRESS ... error 6, a user write"
echo "to an address with no page.) The process is dead; a new one takes its name."
spawn a

echo ""
echo "== Finding room: the gaps =="
echo "Each tree node knows the largest gap below it, so get_unmapped_area goes straight to the"
echo "highest gap that fits. A 64 KiB hole left under mmap_base takes the next 64 KiB mapping;"
echo "a 128 KiB one does not fit there and goes below everything:"
a: n1 = mmap 64K rw private,anon
a: n2 = mmap 64K r private,anon
a: n3 = mmap 64K rw private,anon
a: r = munmap n2 64K
a: fit = mmap 64K r private,anon
a: big = mmap 128K r private,anon
echo "hole at" n2 "- the 64K mapping at" fit "- the 128K mapping at" big
expect fit == n2
expect big == n3 - 128K
cat /proc/a/maps

echo ""
echo "Each VMA's flags (vm_flags) are in the VmFlags line of its /proc/PID/smaps entry: rd wr ex"
echo "for the protection, mr mw me for what mprotect may still allow, ac for memory counted"
echo "against overcommit, gd for the stack, which grows down."
verify
