# Every kmalloc size class, its slabinfo line counting the objects truthfully, and slabs back to the
# buddy allocator on shrink.
machine ram=128M cpus=1
repeat 8 as i
  a[i] = kmalloc 8
  b[i] = kmalloc 96
  c[i] = kmalloc 192
  d[i] = kmalloc 1000
  e[i] = kmalloc 8000
end
cat /proc/slabinfo
repeat 8 as i
  kfree a[i]
  kfree b[i]
  kfree c[i]
  kfree d[i]
  kfree e[i]
end
s0 = /proc/meminfo:Slab
echo 1 > /sys/kernel/slab/kmalloc-8k/shrink
expect /proc/meminfo:Slab == s0 - 64K
cat /sys/kernel/slab/kmalloc-8k/slabs
