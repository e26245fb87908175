# Lesson: zram (seed 4.2, compression): a block device in RAM that compresses every page written
# to it, the zsmalloc allocator under it, and the numbers it reports.

machine ram=128M
echo "zram0 exists from boot but has no size yet. Its compressor is chosen first; the one in"
echo "brackets is in use (lzo-rle by default):"
cat /sys/block/zram0/comp_algorithm
echo "lz4" > /sys/block/zram0/comp_algorithm
echo "Writing disksize initialises the device: a table of 4 KiB slots (vmalloc'ed, 16 bytes each)"
echo "and an empty zsmalloc pool. The size is what the device claims, not memory it takes."
vmalloc_before = /proc/meminfo:VmallocUsed
echo 32M > /sys/block/zram0/disksize
expect /proc/meminfo:VmallocUsed == vmalloc_before + 32M / 4096 * 16

echo ""
echo "== Compressing =="
echo "1000 pages of text-like data go in (swap would write anonymous pages the same way):"
zram_write /dev/zram0 0 fill=text count=1000
echo "mm_stat: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max"
echo "         same_pages pages_compacted huge_pages huge_pages_since"
cat /sys/block/zram0/mm_stat
echo "4 MB of pages took about a quarter of that once compressed (compr_data_size), and"
echo "mem_used_total is what the pool really holds: whole pages from the buddy allocator, which"
echo "vmstat counts as nr_zspages. The difference is the pool's own waste."
expect /proc/vmstat:nr_zspages > 0
expect /proc/vmstat:nr_zspages < 1000 / 3

echo ""
echo "== Size classes and zspages =="
echo "zsmalloc rounds each object up to a size class 16 bytes apart and carves the objects of a"
echo "class from zspages of 1 to 8 pages, chosen to waste least: a 1.1 KB object may start in one"
echo "page and end in the next. /sys/kernel/debug/zsmalloc/zram0/classes shows every class."

echo ""
echo "== Pages that do not compress, pages that need no compressing =="
echo "A page whose every word is the same is kept as that word: no pool memory (same_pages)."
echo "Random bytes do not compress; zram stores them raw, one page each (huge_pages)."
zram_write /dev/zram0 1000 fill=zero count=200
zram_write /dev/zram0 1200 fill=rand count=10
cat /sys/block/zram0/mm_stat
echo "Every byte reads back as it was written:"
zram_read /dev/zram0 0 fill=text count=1000
zram_read /dev/zram0 1000 fill=zero count=200
zram_read /dev/zram0 1200 fill=rand count=10
echo "The block layer's counters (reads, sectors read, ..., writes, sectors written, ...):"
cat /sys/block/zram0/stat

echo ""
echo "== Freeing and compaction =="
echo "Freeing every other text page (as swap frees slots) leaves zspages half empty. Writing"
echo "1 to compact moves objects out of the emptiest zspages into the fullest and frees pages:"
repeat 500 as i
  zram_discard /dev/zram0 2 * i
end
before = /proc/vmstat:nr_zspages
echo 1 > /sys/block/zram0/compact
cat /sys/block/zram0/mm_stat
expect /proc/vmstat:nr_zspages < before
repeat 500 as i
  zram_read /dev/zram0 2 * i + 1 fill=text
end

echo ""
echo "== Another compressor =="
echo "Reset frees everything; the same pages with zstd compress better, at more CPU cost."
echo 1 > /sys/block/zram0/reset
expect /proc/vmstat:nr_zspages == 0
echo "zstd" > /sys/block/zram0/comp_algorithm
echo 32M > /sys/block/zram0/disksize
zram_write /dev/zram0 0 fill=text count=1000
cat /sys/block/zram0/mm_stat

echo ""
echo "== A limit =="
echo "mem_limit caps the pool: past it a write fails with -ENOMEM (io_stat's failed_writes), and"
echo "swap would pick another device."
echo 1M > /sys/block/zram0/mem_limit
r = zram_write /dev/zram0 1000 fill=rand count=1000
expect r == -ENOMEM
echo "zram_write returned" r "(-ENOMEM = -12). io_stat: failed_reads failed_writes 0 notify_free"
echo "(the third column, once invalid_io, is always 0):"
cat /sys/block/zram0/io_stat
echo 1 > /sys/block/zram0/reset
