# Regression (property tests, compaction seed 1, shrunk): under heavy memory pressure a write to a page
# shared copy-on-write after fork can take several faults: reclaim swaps the page out while the
# copy is being allocated, the swap fault maps it read-only again (still shared), the next
# copy-on-write fault may be undone the same way. The MMU walk gave up after three faults and
# killed the process with SIGBUS; it now retries while each fault changes the entry.
machine ram=32M cpus=2 seed=1
mkswap /swapfile size=160M
swapon /swapfile
spawn p1
p1: h0 = brk 0
spawn p2
p2: h1 = brk 0
p1: m2 = mmap 12288K rw private,anon
p1: write m2 12288K fill=seq
p2: m3 = mmap 12288K rw private,anon
p2: write m3 12288K fill=seq
spawn p3
p1: write m2+6541312 3464K fill=seq
p2: m5 = mmap 10476K rw private,anon
p3: m6 = mmap 284K rw private,anon
f7 = fork p3 p4
p1: b = sbrk 228K
p3: write m6+0 76K fill=seq
p3: write m6+77824 24K fill=seq
f9 = fork p3 p5
p2: write m5+1630208 2308K fill=zero
p2: m10 = mmap 700K rw private,anon
p1: m12 = mmap 7316K rw private,anon
p1: m14 = mmap 96K rw private,anon
p2: write m3+2969600 4068K fill=seq
exit p5
p4: r16 = mremap m6+0 12K 124K maymove
f17 = fork p4 p6
p2: write m5+6774784 2236K fill=zero
p3: madvise m6+98304 80K dontneed
p1: write h0+86016 120K fill=seq
p6: write r16+8192 116K fill=seq
k18 = alloc_pages 9 gfp=GFP_HIGHUSER_MOVABLE|__GFP_NOWARN
tick 159ms
p6: write r16+69632 52K fill=seq
p2: write m3+1257472 1324K fill=seq
p1: r20 = mremap m14+0 96K 180K maymove
p1: write r20+77824 80K fill=seq
p2: b = sbrk 120K
p6: write m6+32768 8K fill=seq
p1: write h0+0 200K fill=seq
k22 = alloc_pages 8 gfp=GFP_HIGHUSER_MOVABLE|__GFP_NOWARN
p6: m23 = mmap 14808K rw private,anon
p2: write m5+7561216 1740K fill=0xa5
p2: write h1+8192 112K fill=seq
p4: m24 = mmap 96K rw private,anon
p2: write m3+1310720 4044K fill=seq
k25 = alloc_pages 9 gfp=GFP_HIGHUSER_MOVABLE|__GFP_NOWARN
p4: write m24+0 96K fill=zero
p1: write m2+5169152 2716K fill=seq
p1: write m12+1236992 616K fill=seq
exit p3
p2: write m10+8192 144K fill=seq
f27 = fork p1 p7
p1: write r20+0 120K fill=seq
p4: write m6+53248 12K fill=seq
p6: write m23+14487552 656K fill=seq
free_pages k25 9
p6: write m23+2072576 44K fill=seq
p6: write m23+9748480 3060K fill=seq
p2: write m5+118784 1216K fill=seq
p7: write m2+4001792 3844K fill=seq
p7: v = load m2+4001792 8
verify
