# spawn on a machine with nothing left: the new process's first pages (its page tables and the
# rest of its address space) come from the page allocator as kernel allocations, which here reclaim
# but do not call the OOM killer (only page faults do). spawn then fails as fork and exec do, with
# -ENOMEM and a note, and the script goes on without the process; once memory is back it starts.
machine ram=32M seed=3
spawn hog
hog: h = mmap 4M rw private,anon
hog: write h 4M fill=seq
# the rest of memory: most of it to the huge page pool, what is left to the kernel, taken without
# reclaim or the OOM killer
sysctl vm.nr_hugepages=16
expect /proc/meminfo:HugePages_Total > 0
repeat 8192 as i
  k[i] = alloc_pages 0 gfp=GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN
end
r = spawn b
expect r == -ENOMEM
expect /proc/vmstat:oom_kill == 0
expect /proc/hog/status:VmRSS >= 4M
check
# a fork needs memory too
r = fork hog child
expect r == -ENOMEM
# the pool's pages back: b starts, and runs
sysctl vm.nr_hugepages=0
r = spawn b
expect r > 0
b: p = mmap 1M rw private,anon
b: write p 1M fill=seq
expect /proc/b/status:RssAnon == 1M
verify
check
