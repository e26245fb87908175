# Lesson: swap areas (seed 5): swap files and partitions, the swap header, priorities, adding and
# removing areas at run time, how slots are handed out, and what a swap entry looks like in a PTE.

machine ram=128M
echo "A swap area is a file or a partition whose first page is a header. mkswap writes it: the"
echo "signature SWAPSPACE2 in the last 10 bytes of page 0, version 1, and the number of the last page."
fallocate /swapfile size=8M
mkswap /swapfile
echo ""
echo "A disk without that signature is refused (swapon gets -EINVAL, and the kernel says why):"
fallocate /dev/vdb size=4M
r = swapon /dev/vdb
expect r == -EINVAL
mkswap /dev/vdb

echo ""
echo "== Priorities =="
echo "swapon without prio= gives -2, then -3, ...; prio=N (0..32767) ranks an area above them."
swapon /swapfile
swapon /dev/vdb prio=10
cat /proc/swaps
echo "Size and Used are in KiB: the header page does not count, so an 8 MiB file offers 8188 KiB."
expect /proc/meminfo:SwapTotal == 12M - 8K

echo ""
echo "== Slots and clusters =="
echo "Slots are handed out in clusters of 256: a CPU fills its current cluster before taking"
echo "another. swap_out does what reclaim does to an anonymous page: a slot, the page written to it,"
echo "and a reference kept, as the page table entry that replaces the page would keep it."
p = alloc_pages 0
e = swap_out p
t = swp_type e
o = swp_offset e
echo "entry:" e "type:" t "offset:" o
echo "(a swp_entry_t keeps the type in its top bits: 1 << 58 | 1 = 288230376151711745)"
expect t == 1
expect o == 1
echo "The higher priority area (type 1, /dev/vdb) got it, at slot 1 (slot 0 is the header)."
echo "In an x86_64 PTE the entry is stored with the type in bits 59-63 and the offset inverted in"
echo "bits 9-58, so that a stale entry never names real memory (the L1TF mitigation):"
v = swp_entry_to_pte e
echo v
repeat 1022 as i
  q[i] = alloc_pages 0
  f[i] = swap_out q[i]
end
cat /proc/swaps
echo "/dev/vdb is full (1023 slots); the next page goes to the lower priority area."
q[1022] = alloc_pages 0
f[1022] = swap_out q[1022]
t = swp_type f[1022]
expect t == 0
echo "Counters: pswpout counts pages written, pgpgout KiB."
expect /proc/vmstat:pswpout == 1024
expect /proc/vmstat:pgpgout == 4096

echo ""
echo "== References and the swap cache =="
echo "A slot counts its references in swap_map: fork copying the PTE adds one, each unmap drops one."
r = swap_duplicate e
c = swap_count e
expect c == 2
swap_free e
echo "swap_in reads the slot back into a page and drops a reference: the last one frees the slot."
b = alloc_pages 0
r = swap_in e b
expect r == 0
c = swap_count e
expect c == -1
echo "A page reclaim has written but not freed stays in the swap cache: SwapCached in meminfo."
k = alloc_pages 0
g = swap_out k cache=1
expect /proc/meminfo:SwapCached == 4K

echo ""
echo "== swapoff =="
echo "swapoff first asks the commit accounting whether the area's pages could come back into memory"
echo "(with overcommit_memory=2 it checks the commit limit), then brings every page back in"
echo "(try_to_unuse). Pages only the swap cache holds let go of their slots; pages that processes'"
echo "swap PTEs point to are read back by walking their page tables (unuse_mm; see the end of"
echo "this lesson). The slots taken by hand above are given back by hand first:"
repeat 1022 as i
  swap_free f[i]
end
swap_free g
expect /proc/meminfo:SwapCached == 0
swapoff /dev/vdb
cat /proc/swaps
swap_free f[1022]
swapoff /swapfile
expect /proc/meminfo:SwapTotal == 0

echo ""
echo "== Swap on zram =="
echo "A zram device is a block device in RAM that compresses what is written to it. Given a size, it"
echo "takes a swap header like a disk, and a high priority puts it before every disk area."
echo 4M > /sys/block/zram0/disksize
mkswap /dev/zram0
mkswap /swapfile
swapon /swapfile
swapon /dev/zram0 prio=100
cat /proc/swaps
z = alloc_pages 0
ze = swap_out z
t = swp_type ze
echo "the page went to type" t "(/dev/zram0)"
expect t == 1
cat /sys/block/zram0/mm_stat
swap_free ze
swapoff /dev/zram0
swapoff /swapfile

echo ""
echo "== swapoff under a running process =="
echo "A process writes 80 MiB on a 64 MiB machine, so about 30 MiB of it goes to swap. It unmaps"
echo "the half it wrote last; swapoff then finds the swapped-out first half through its page"
echo "tables and brings every page back into RAM:"
machine ram=64M seed=51
mkswap /swapfile size=64M
swapon /swapfile
spawn a
a: buf = mmap 80M rw private,anon
a: write buf 80M fill=seq
a: r = munmap buf+40M 40M
echo "VmSwap before swapoff:" /proc/a/status:VmSwap / 1K "kB"
expect /proc/a/status:VmSwap > 16M
r = swapoff /swapfile
expect r == 0
echo "swapoff returned" r "- VmSwap after:" /proc/a/status:VmSwap / 1K "kB"
expect /proc/a/status:VmSwap == 0
expect /proc/meminfo:SwapTotal == 0
verify
echo "verify: the bytes came back from the swap file intact."
