# Workingset refault detection with the classic LRU: a hot 16M read between every 2M step of a 48M
# loop; together they are more than RAM. Every page read back from swap had left a shadow entry in
# its slot when reclaim evicted it (workingset_refault_anon == pswpin); the loop's refault distances
# fit in the active list the hot set built, so most refaulting pages are activated at once, and those
# that were active before their eviction are restored. Nothing is lost.
machine ram=64M seed=42
mkswap /swapfile size=256M
swapon /swapfile
spawn app
app: hot = mmap 16M rw private,anon
app: loop = mmap 48M rw private,anon
app: write hot 16M fill=seq
repeat 24 as i
  app: read hot 16M
  app: write loop+i*2M 2M fill=seq
end
expect /proc/vmstat:workingset_refault_anon == /proc/vmstat:pswpin
repeat 4 as j
  repeat 24 as i
    app: read hot 16M
    app: read loop+i*2M 2M
  end
end
expect /proc/vmstat:workingset_refault_anon > 20000
expect /proc/vmstat:workingset_refault_anon == /proc/vmstat:pswpin
expect /proc/vmstat:workingset_activate_anon * 4 > /proc/vmstat:workingset_refault_anon
expect /proc/vmstat:workingset_restore_anon > 0
expect /proc/vmstat:workingset_restore_anon <= /proc/vmstat:workingset_activate_anon
expect /proc/vmstat:workingset_refault_file == 0
expect /proc/vmstat:workingset_nodes == 0
expect /proc/meminfo:Active(anon) > 8M
verify
