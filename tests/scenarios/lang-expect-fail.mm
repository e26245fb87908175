# exit: 1
# A failed expect is reported with both sides and the script goes on.
x = 5
expect x == 5
expect x < 2
expect x * 2 != 10   # comments are not part of the text
echo "still running"
expect 0
sysctl vm.min_free_kbytes=1500
expect /proc/sys/vm/min_free_kbytes < 0
# Addresses print in hex: a failed allocation is NULL.
huge = alloc_pages 11 gfp=__GFP_NOWARN
expect huge != 0
