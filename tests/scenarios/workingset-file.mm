# Workingset detection for page-cache pages: a hot 16M file read again and again (pread) and a 48M
# file read in a loop beside it, 64M in all on a 64M machine with no swap. Evicted file pages leave
# their shadows in the page cache's XArray; a page read back is a refault (workingset_refault_file),
# activated at once when its refault distance fits in the active file list, and restored when it was
# active before (the hot pages). With the multi-gen LRU the uses through read() are counted in the
# page's tier instead: the hot pages are protected in the oldest generation (pgrefill) rather than
# activated, and the same refaults are told from the generation numbers in the shadows.
machine ram=64M seed=42
truncate /hot size=16M
truncate /loop size=48M
spawn a
a: io = mmap 2M rw private,anon
repeat 3 as j
  repeat 24 as i
    repeat 8 as k
      a: n = pread /hot io 2M off=k*2M
    end
    a: n = pread /loop io 2M off=i*2M
  end
end
expect /proc/vmstat:workingset_refault_file > 10000
expect /proc/vmstat:workingset_activate_file > 0
expect /proc/vmstat:workingset_restore_file > 0
expect /proc/vmstat:workingset_restore_file <= /proc/vmstat:workingset_activate_file
expect /proc/vmstat:workingset_refault_anon == 0
expect /proc/vmstat:pgactivate > 0
expect /proc/meminfo:Active(file) > 8M
verify

machine ram=64M seed=42
echo "y" > /sys/kernel/mm/lru_gen/enabled
truncate /hot size=16M
truncate /loop size=48M
spawn a
a: io = mmap 2M rw private,anon
repeat 3 as j
  repeat 24 as i
    repeat 8 as k
      a: n = pread /hot io 2M off=k*2M
    end
    a: n = pread /loop io 2M off=i*2M
  end
end
expect /proc/vmstat:workingset_refault_file > 10000
expect /proc/vmstat:pgsteal_file == /proc/vmstat:pgscan_file
expect /proc/vmstat:pgrefill > 0
expect /proc/vmstat:pgactivate == 0
verify
