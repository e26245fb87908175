# Lesson: workingset refault detection and the multi-gen LRU (seed 4.2): what reclaim learns from
# pages that come back, and the kernel's second reclaim policy run on the same workload.

machine ram=64M seed=42
echo "When reclaim evicts a page, the kernel leaves a shadow entry where the page was: for an"
echo "anonymous page, in its swap slot (the swap table, as in 6.18); for a page-cache page, in its"
echo "file's XArray. The shadow holds the node's"
echo "eviction clock (nonresident_age: evictions plus activations) at that moment. When the page"
echo "faults back in, the clock's advance since then is its refault distance: how many more pages"
echo "the inactive list would have needed to keep it. If that fits in the memory the active pages"
echo "hold, the page is activated at once (workingset_activate); if it had been active before its"
echo "eviction, the workingset itself is thrashing (workingset_restore)."
echo ""
echo "== The classic LRU =="
mkswap /swapfile size=256M
swapon /swapfile
spawn app
app: hot = mmap 16M rw private,anon
app: loop = mmap 48M rw private,anon
echo "A hot 16M is read between every 2M step through a 48M loop: 64M in all, more than the"
echo "machine has. A page reclaim finds young twice (its PTE's accessed bit, or young and already"
echo "PG_referenced) is activated; the hot pages are, once the loop has pushed them round the list."
app: write hot 16M fill=seq
repeat 24 as i
  app: read hot 16M
  app: write loop+i*2M 2M fill=seq
end
echo "Every page read back from swap finds the shadow it left (refaults == pswpin):"
expect /proc/vmstat:workingset_refault_anon == /proc/vmstat:pswpin
repeat 4 as j
  repeat 24 as i
    app: read hot 16M
    app: read loop+i*2M 2M
  end
end
echo "Four passes later: refaults, activations, restores, pages read back from swap:"
echo "  workingset_refault_anon " /proc/vmstat:workingset_refault_anon
echo "  workingset_activate_anon" /proc/vmstat:workingset_activate_anon
echo "  workingset_restore_anon " /proc/vmstat:workingset_restore_anon
echo "  pswpin                  " /proc/vmstat:pswpin
expect /proc/vmstat:workingset_refault_anon == /proc/vmstat:pswpin
expect /proc/vmstat:workingset_activate_anon > 0
classic_pswpin = /proc/vmstat:pswpin
classic_scan = /proc/vmstat:pgscan_anon
verify

echo ""
echo "== The multi-gen LRU =="
echo "The same machine and workload with the multi-gen LRU (/sys/kernel/mm/lru_gen/enabled: 0x0001"
echo "the policy, 0x0002 the page-table walk, 0x0004 non-leaf accessed bits). Pages live in"
echo "generations: aging walks the page tables, moves the pages found young into a new youngest"
echo "generation; eviction takes the oldest. Its counters are the same pgscan, pgsteal and"
echo "workingset_* ones."
machine ram=64M seed=42
mkswap /swapfile size=256M
swapon /swapfile
echo "y" > /sys/kernel/mm/lru_gen/enabled
cat /sys/kernel/mm/lru_gen/enabled
spawn app
app: hot = mmap 16M rw private,anon
app: loop = mmap 48M rw private,anon
app: write hot 16M fill=seq
repeat 24 as i
  app: read hot 16M
  app: write loop+i*2M 2M fill=seq
end
repeat 4 as j
  repeat 24 as i
    app: read hot 16M
    app: read loop+i*2M 2M
  end
end
echo "/sys/kernel/debug/lru_gen: per generation its number, age in ms, anon and file pages:"
cat /sys/kernel/debug/lru_gen
echo "  workingset_refault_anon " /proc/vmstat:workingset_refault_anon
echo "  workingset_activate_anon" /proc/vmstat:workingset_activate_anon
echo "  pswpin                  " /proc/vmstat:pswpin
echo "Pages scanned and pages read back from swap, with the classic LRU and now:"
echo "  classic pgscan_anon" classic_scan
echo "  mglru   pgscan_anon" /proc/vmstat:pgscan_anon
echo "  classic pswpin     " classic_pswpin
echo "  mglru   pswpin     " /proc/vmstat:pswpin
echo "Eviction from the oldest generation, whose pages the aging has already sorted out, looks at"
echo "far fewer pages for the same result."
expect /proc/vmstat:pgscan_anon < classic_scan
expect /proc/vmstat:workingset_refault_anon == /proc/vmstat:pswpin
verify

echo ""
echo "== Switching back at run time =="
echo "Writing n moves every page from the generations onto the classic lists (lru_gen_change_state):"
echo "the two youngest generations become the active list, the others the inactive one."
echo "n" > /sys/kernel/mm/lru_gen/enabled
cat /sys/kernel/mm/lru_gen/enabled
echo "Active(anon)  " /proc/meminfo:Active(anon)
echo "Inactive(anon)" /proc/meminfo:Inactive(anon)
app: read hot 16M
verify

echo ""
echo "== The page cache =="
echo "File pages leave their shadows in the file's page cache. A hot 16M file read over and over"
echo "and a 48M file read in a loop, on the same 64M machine, classic LRU first. read() marks a page"
echo "accessed (folio_mark_accessed): the second use activates it."
machine ram=64M seed=42
truncate /hot size=16M
truncate /loop size=48M
spawn app
app: io = mmap 2M rw private,anon
repeat 3 as j
  repeat 24 as i
    repeat 8 as k
      app: n = pread /hot io 2M off=k*2M
    end
    app: n = pread /loop io 2M off=i*2M
  end
end
echo "  workingset_refault_file " /proc/vmstat:workingset_refault_file
echo "  workingset_activate_file" /proc/vmstat:workingset_activate_file
echo "  workingset_restore_file " /proc/vmstat:workingset_restore_file
echo "  Active(file)            " /proc/meminfo:Active(file)
classic_refaults = /proc/vmstat:workingset_refault_file
expect /proc/vmstat:workingset_activate_file > 0
echo "An XArray node whose 64 slots hold only shadows counts in workingset_nodes:"
echo "  workingset_nodes        " /proc/vmstat:workingset_nodes
verify
echo "The multi-gen LRU counts a page's uses through read() instead (LRU_REFS): its tier. Eviction"
echo "keeps the pages of tiers that refault more than the first tier, moving them out of the oldest"
echo "generation (pgrefill), rather than activating them."
machine ram=64M seed=42
echo "y" > /sys/kernel/mm/lru_gen/enabled
truncate /hot size=16M
truncate /loop size=48M
spawn app
app: io = mmap 2M rw private,anon
repeat 3 as j
  repeat 24 as i
    repeat 8 as k
      app: n = pread /hot io 2M off=k*2M
    end
    app: n = pread /loop io 2M off=i*2M
  end
end
echo "  classic workingset_refault_file" classic_refaults
echo "  mglru   workingset_refault_file" /proc/vmstat:workingset_refault_file
echo "  mglru   pgrefill               " /proc/vmstat:pgrefill
cat /sys/kernel/debug/lru_gen
expect /proc/vmstat:pgrefill > 0
verify

echo "== Aging and proactive reclaim by hand =="
echo "Writing '+ MEMCG NODE MAX_SEQ' to /sys/kernel/debug/lru_gen makes a new generation; '- MEMCG"
echo "NODE SEQ [SWAPPINESS [NR]]' evicts up to NR pages from the generations up to SEQ, which must be"
echo "two behind the youngest. On a fresh machine max_seq is 3:"
machine ram=64M seed=42
mkswap /swapfile size=64M
swapon /swapfile
echo "y" > /sys/kernel/mm/lru_gen/enabled
spawn app
app: buf = mmap 8M rw private,anon
app: write buf 8M fill=seq
cat /sys/kernel/debug/lru_gen
echo "The first walk only marks the young pages referenced; the second promotes those read since:"
tick 100ms
echo "+ 0 0 3" > /sys/kernel/debug/lru_gen
app: read buf 2M
tick 100ms
echo "+ 0 0 4" > /sys/kernel/debug/lru_gen
cat /sys/kernel/debug/lru_gen
echo "Evict 1000 pages of generation 2 and older, anon only (swappiness max):"
echo "- 0 0 3 max 1000" > /sys/kernel/debug/lru_gen
cat /sys/kernel/debug/lru_gen
expect /proc/vmstat:pgsteal_proactive == 1000
expect /proc/vmstat:pswpout == 1000
verify
