# Lesson: physical memory, zones and the kernel/user split (seed 1.1, 1.2).
#
# A page frame is 4 KiB of RAM; the kernel describes each one with a struct page. Frames are grouped
# into zones by what hardware can reach them, and the zones of one NUMA node form a pg_data_t.

echo "== An x86_64 machine with 256 MiB of RAM =="
machine ram=256M arch=x86_64
echo "The firmware's map of RAM and how the kernel cut it into zones (dmesg):"
dmesg
echo ""
echo "DMA is the first 16 MiB (ISA devices can only address 24 bits). DMA32 is the rest below 4 GiB."
echo "There is no Normal zone: this machine has no RAM above 4 GiB."
cat /proc/buddyinfo
# present: RAM in the zone's span; managed: what boot left to the page allocator.
expect /proc/meminfo:MemTotal < 256M
expect /proc/meminfo:MemTotal > 230M

echo ""
echo "== The same idea on 32-bit x86, with 1 GiB of RAM =="
machine ram=1G arch=i386
echo "The kernel lives at 3 GiB (0xc0000000) in every address space: user space has 0-3 GiB."
echo "Only 896 MiB of RAM fit in the kernel's 1 GiB window: the rest is HighMem, which the kernel"
echo "can only reach through temporary mappings (kmap). That is why ZONE_HIGHMEM existed."
cat /proc/buddyinfo
expect /proc/meminfo:HighTotal > 100M
expect /proc/meminfo:LowTotal < 896M

echo ""
echo "A user page (GFP_HIGHUSER) may come from HighMem; a page the kernel must address"
echo "directly (__get_free_pages) never does: it returns a direct-map address."
u = alloc_pages 0 gfp=GFP_HIGHUSER
k = __get_free_pages 0 gfp=GFP_KERNEL
echo "struct page of the user page:" u "  kernel address of the kernel page:" k
expect k >= 0xc0000000
expect /proc/vmstat:pgalloc_high >= 1
free_pages u 0
free_pages k 0

echo ""
echo "== Where a request may go: the zone modifiers of GFP flags =="
machine ram=5G
echo "5 GiB on x86_64: RAM under the PCI hole (3-4 GiB) is moved above 4 GiB, so Normal appears."
d = alloc_pages 0 gfp=GFP_KERNEL|GFP_DMA
d32 = alloc_pages 0 gfp=GFP_KERNEL|GFP_DMA32
n = alloc_pages 0 gfp=GFP_KERNEL
expect /proc/vmstat:pgalloc_dma == 1
expect /proc/vmstat:pgalloc_dma32 >= 1
expect /proc/vmstat:pgalloc_normal >= 1
free_pages d 0
free_pages d32 0
free_pages n 0
cat /proc/buddyinfo
