# Pages of every kind through zram0 with lz4: text compresses, zero and byte-filled pages are
# same-filled (no pool memory), random pages are stored raw (huge). Everything reads back, the pool's
# pages are counted in nr_zspages, and reset gives them all back.
machine ram=128M
echo "lz4" > /sys/block/zram0/comp_algorithm
echo 16M > /sys/block/zram0/disksize
r = zram_write /dev/zram0 0 fill=text count=600
expect r == 0
zram_write /dev/zram0 600 fill=seq count=200
zram_write /dev/zram0 800 fill=zero count=100
zram_write /dev/zram0 900 fill=0xa5 count=100
zram_write /dev/zram0 1000 fill=rand count=20 seed=3
cat /sys/block/zram0/mm_stat
expect /proc/vmstat:nr_zspages > 0
expect /proc/vmstat:nr_zspages * 4096 < 1020 * 4096 / 2
zram_read /dev/zram0 0 fill=text count=600
zram_read /dev/zram0 600 fill=seq count=200
zram_read /dev/zram0 800 fill=zero count=100
zram_read /dev/zram0 900 fill=0xa5 count=100
zram_read /dev/zram0 1000 fill=rand count=20 seed=3
cat /sys/block/zram0/stat
echo "overwriting text with zeros frees its objects:"
zram_write /dev/zram0 0 fill=zero count=300
cat /sys/block/zram0/mm_stat
echo "discarding every other text page leaves zspages half full; compaction packs them:"
repeat 150 as i
  zram_discard /dev/zram0 300 + 2 * i
end
cat /sys/block/zram0/mm_stat
echo 1 > /sys/block/zram0/compact
cat /sys/block/zram0/mm_stat
repeat 150 as i
  zram_read /dev/zram0 301 + 2 * i fill=text
end
zram_read /dev/zram0 0 fill=zero count=300
echo 1 > /sys/block/zram0/reset
expect /proc/vmstat:nr_zspages == 0
