# Lesson: fork and copy-on-write (seed 6.2, 2.2): the child gets the parent's pages, not copies;
# both map them read-only, and the first write to a page copies it for the writer alone. Shared
# anonymous memory (MAP_SHARED|MAP_ANONYMOUS), the basis of shared memory, is never copied.

machine ram=128M seed=7
spawn parent
parent: buf = mmap 4M rw private,anon
parent: write buf 4M fill=seq
expect /proc/meminfo:AnonPages == 4M
echo "fork copies the page tables, not the memory: 4 MiB are still 4 MiB, now mapped twice."
fork parent child
expect /proc/meminfo:AnonPages == 4M
expect /proc/child/status:VmRSS == 4M
echo "Both sides' PTEs lost their RW bit: a write faults, and do_wp_page decides."
pagewalk parent buf
pagewalk child buf

echo ""
echo "== The first write copies =="
child: store buf 0x77 1
parent: x = load buf 1
child: y = load buf 1
expect x != 0x77
expect y == 0x77
echo "The child now has a page of its own (writable again); the parent still maps the old one."
pagewalk child buf
expect /proc/meminfo:AnonPages == 4M + 4K

echo ""
echo "== The last owner reuses =="
echo "The parent's next write to that page finds it mapped only once: no copy, the PTE just"
echo "becomes writable again (pgreuse)."
reuse = /proc/vmstat:pgreuse
parent: store buf 0x11 1
expect /proc/vmstat:pgreuse == reuse + 1
expect /proc/meminfo:AnonPages == 4M + 4K

echo ""
echo "== The child exits =="
echo "Its pages go back to being mapped once: the parent writes the rest without copying."
exit child
parent: write buf+4K 4M-4K fill=seq
expect /proc/meminfo:AnonPages == 4M
expect /proc/vmstat:pgreuse == reuse + 1023 + 1
echo "verify reads back every byte written with fill=seq in every process."
verify

echo ""
echo "== Shared anonymous memory: no copy at all =="
echo "MAP_SHARED|MAP_ANONYMOUS is the other way round: fork shares the pages and both sides keep"
echo "writing the same ones. This is how related processes share memory without a file: the"
echo "pages belong to an unnamed shmem file (/dev/zero (deleted) in maps), so they count as"
echo "Shmem and RssShmem, not AnonPages."
parent: shm = mmap 8K rw shared,anon
parent: store shm 0x41 1
fork parent child
child: x = load shm 1
child: store shm+4K 0x42 1
parent: y = load shm+4K 1
echo "the child reads" x "(0x41, the parent's byte); the parent reads" y "(0x42, the child's)"
expect x == 0x41
expect y == 0x42
expect /proc/meminfo:Shmem == 8K
expect /proc/child/status:RssShmem == 8K
cat /proc/child/maps
exit child
verify
