# Two areas of different priorities: the higher one fills first. Two of equal priority take
# turns, one cluster (256 slots; 255 in the first, after the header) at a time.
machine ram=64M
mkswap /dev/vdb size=1M
mkswap /swapfile size=1M
swapon /dev/vdb prio=5
swapon /swapfile prio=10
cat /proc/swaps
repeat 255 as i
  p[i] = alloc_pages 0
  e[i] = swap_out p[i]
  t = swp_type e[i]
  expect t == 1
end
cat /proc/swaps
p[255] = alloc_pages 0
e[255] = swap_out p[255]
t = swp_type e[255]
echo "the 256th page went to type" t
expect t == 0
expect /proc/meminfo:SwapFree == 2M - 8K - 256 * 4K
repeat 256 as i
  swap_free e[i]
end
expect /proc/meminfo:SwapFree == 2M - 8K

echo "equal priorities:"
machine ram=64M
mkswap /a size=2M
mkswap /b size=2M
swapon /a prio=7
swapon /b prio=7
repeat 255 as i
  q = alloc_pages 0
  x = swap_out q
  t = swp_type x
  expect t == 0
end
repeat 255 as i
  q = alloc_pages 0
  x = swap_out q
  t = swp_type x
  expect t == 1
end
repeat 256 as i
  q = alloc_pages 0
  x = swap_out q
  t = swp_type x
  expect t == 0
end
cat /proc/swaps
