# What zswap does not take. With enabled=N nothing goes to zswap. Random bytes do not compress below
# a page: zswap_store rejects them (reject_compress_poor) and swap_writepage writes the swap file
# instead (pswpout). The default compressor, lzo,
# cannot shrink fill=seq pages below a page either. verify finds every seq byte, in zswap or on file.
machine ram=64M seed=8
mkswap /swapfile size=128M
swapon /swapfile
spawn a
a: buf = mmap 96M rw private,anon
a: write buf 80M fill=seq
echo "disabled:"
expect /proc/vmstat:zswpout == 0
expect /proc/vmstat:pswpout > 0
verify
a: munmap buf 96M
echo "Y" > /sys/module/zswap/parameters/enabled
echo "zstd" > /sys/module/zswap/parameters/compressor
out0 = /proc/vmstat:pswpout
a: buf = mmap 96M rw private,anon
a: write buf 40M fill=rand
a: write buf+40M 40M fill=seq
expect /sys/kernel/debug/zswap/reject_compress_poor > 1000
expect /proc/vmstat:pswpout > out0 + 1000
verify
a: munmap buf 96M
expect /sys/kernel/debug/zswap/stored_pages == 0
echo "lzo and seq bytes:"
echo "lzo" > /sys/module/zswap/parameters/compressor
poor = /sys/kernel/debug/zswap/reject_compress_poor
a: buf = mmap 96M rw private,anon
a: write buf 80M fill=seq
expect /sys/kernel/debug/zswap/reject_compress_poor > poor + 1000
expect /sys/kernel/debug/zswap/reject_compress_fail == 0
expect /sys/kernel/debug/zswap/decompress_fail == 0
verify
a: read buf 80M
verify
