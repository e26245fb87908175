# The kernel's answers to bad swapon and swapoff requests, as values, and the log lines.
machine ram=64M
r = swapon /missing
expect r == -ENOENT
fallocate /dev/vdc size=1M
r = swapon /dev/vdc
expect r == -EINVAL
r = mkswap /tiny size=16K
expect r == -EINVAL
mkswap /swapfile size=1M
swapon /swapfile
r = swapon /swapfile
expect r == -EBUSY
r = swapon /dev/vdc prio=40000
expect r == -EINVAL
r = swapoff /dev/vdc
expect r == -EINVAL
r = swapon /dev/zram0
expect r == -EINVAL
r = swapon /dev/zram9
expect r == -ENOENT
p = alloc_pages 0
e = swap_out p
c = swap_count e
expect c == 1
r = swap_duplicate e
c = swap_count e
expect c == 2
swap_free e
swap_free e
c = swap_count e
expect c == -1
r = swap_duplicate e
expect r == -ENOENT
swap_free e
swapoff /swapfile
cat /proc/swaps
