# Lesson: kmalloc, vmalloc and __get_free_pages (seed 4.1): three ways the kernel gets memory, and
# when each is the right one: how big, whether it must be physically contiguous, where it is mapped.

machine ram=256M
echo "== __get_free_pages: whole pages, physically contiguous, in the direct map =="
echo "The buddy allocator itself. 2^order pages at a direct-map address (0xffff888000000000 +"
echo "physical address): what DMA buffers and page tables want."
a = __get_free_pages 2
echo a
free_pages a 2

echo ""
echo "== kmalloc: small objects from the slab caches =="
echo "Up to 8 KiB, kmalloc rounds the size up to a size class (8, 16, 32, 64, 96, 128, 192, 256 ..."
echo "8k) and takes an object from that kmalloc cache; ksize tells what was really reserved."
k = kmalloc 100
n = ksize k
echo n
expect n == 128
echo "Also in the direct map, and physically contiguous (it lies in one slab):"
echo k
echo "GFP_DMA and __GFP_RECLAIMABLE requests have caches of their own:"
d = kmalloc 100 gfp=GFP_KERNEL|GFP_DMA
r = kmalloc 100 gfp=GFP_KERNEL|__GFP_RECLAIMABLE
echo d
expect /proc/meminfo:SReclaimable == 4K
kfree d
kfree r
echo "Above 8 KiB kmalloc goes straight to the buddy allocator (kmalloc_large): 20000 bytes are an"
echo "order-3 block, 32 KiB, still contiguous, counted as slab memory (SUnreclaim)."
s0 = /proc/meminfo:SUnreclaim
big = kmalloc 20000
n = ksize big
expect n == 32K
expect /proc/meminfo:SUnreclaim == s0 + 32K
kfree big
kfree k

echo ""
echo "== vmalloc: big, virtually contiguous, physically scattered =="
echo "vmalloc takes pages one at a time (no high-order block needed: it works on a fragmented"
echo "machine) and maps them side by side in the vmalloc area, 0xffffc90000000000 on x86_64, with"
echo "an unmapped guard page after each area. /proc/vmallocinfo shows the areas (size includes"
echo "the guard page); VmallocUsed counts the pages."
v = vmalloc 1M
w = vmalloc 10K
cat /proc/vmallocinfo
expect /proc/meminfo:VmallocUsed == 1M + 12K
echo "Byte 4095 and byte 4096 of v are neighbours in the kernel's address space, but usually not"
echo "in physical memory. Writing and reading through the vmalloc mapping:"
kwrite v 4094 4 0x5a
kread v 4088 16
echo "The page after w's 3 pages is its guard: not mapped, so 'kwrite w 12K 1' is an error, where"
echo "a write running off the end of a kmalloc object would silently hit its neighbour."
vfree w
vfree v
expect /proc/meminfo:VmallocUsed == 0

echo ""
echo "Rule of thumb: kmalloc for objects (fast, contiguous, small); __get_free_pages for whole"
echo "contiguous pages; vmalloc for large buffers that only the CPU touches (module text, big"
echo "tables), when no contiguous block of that size can be had."
