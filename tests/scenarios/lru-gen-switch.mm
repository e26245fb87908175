# Switching the reclaim policy under load (lru_gen_change_state): every evictable page moves from the
# classic lists into the generations and back, on both nodes, while two processes keep faulting and
# swapping. machine_check (--check) checks after every command that each page is on exactly one list
# and that the lists match NR_ACTIVE_ANON and friends; verify finds every byte.
machine ram=96M nodes=2 seed=3
mkswap /swapfile size=256M
swapon /swapfile
spawn a
spawn b
a: x = mmap 64M rw private,anon
b: y = mmap 64M rw private,anon
repeat 16 as i
  a: write x+i*4M 4M fill=seq
  b: write y+i*4M 4M fill=seq
  tick 5ms
end
expect /proc/vmstat:pgsteal_kswapd + /proc/vmstat:pgsteal_direct > 0
echo "y" > /sys/kernel/mm/lru_gen/enabled
expect /sys/kernel/mm/lru_gen/enabled == 0x0007
steal = /proc/vmstat:pgsteal_anon
repeat 16 as i
  a: read x+i*4M 4M
  b: write y+i*4M 2M fill=seq
  tick 5ms
end
expect /proc/vmstat:pgsteal_anon > steal
verify
echo "n" > /sys/kernel/mm/lru_gen/enabled
expect /sys/kernel/mm/lru_gen/enabled == 0
steal = /proc/vmstat:pgsteal_anon
repeat 16 as i
  b: read y+i*4M 4M
  a: read x+i*4M 2M
  tick 5ms
end
expect /proc/vmstat:pgsteal_anon > steal
echo "y" > /sys/kernel/mm/lru_gen/enabled
a: munmap x 32M
echo "n" > /sys/kernel/mm/lru_gen/enabled
verify
