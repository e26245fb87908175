# A loop far larger than memory: 128M read in turn on a 64M machine, a hot 16M kept active beside it.
# Each loop page is evicted long before it comes round again: its refault distance (the evictions
# and activations since) is more than the whole workingset, so it is not activated (compare
# workingset-refault.mm, where the loop fits). The hot set stays active throughout.
machine ram=64M seed=42
mkswap /swapfile size=256M
swapon /swapfile
spawn app
app: hot = mmap 16M rw private,anon
app: loop = mmap 128M rw private,anon
app: write hot 16M fill=seq
repeat 64 as i
  app: read hot 16M
  app: write loop+i*2M 2M fill=seq
end
repeat 2 as j
  repeat 64 as i
    app: read hot 16M
    app: read loop+i*2M 2M
  end
end
expect /proc/vmstat:workingset_refault_anon > 60000
expect /proc/vmstat:workingset_refault_anon == /proc/vmstat:pswpin
expect /proc/vmstat:workingset_activate_anon * 100 < /proc/vmstat:workingset_refault_anon
expect /proc/meminfo:Active(anon) >= 16M
verify
