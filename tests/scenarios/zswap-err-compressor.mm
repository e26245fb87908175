# exit: 2
# A compressor zswap cannot allocate is refused with -ENOENT (__zswap_param_set: "compressor %s not
# available"); the parameter keeps its value.
machine ram=64M
echo "zstd" > /sys/module/zswap/parameters/compressor
cat /sys/module/zswap/parameters/compressor
echo "deflate" > /sys/module/zswap/parameters/compressor
