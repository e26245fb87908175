# i386: lowmem is in the direct map at 0xc0000000 (kmap returns that address); a HighMem page gets a
# pkmap slot from kmap, the same one while it stays mapped, and kunmap releases it; kunmap of a page
# kmap did not map is -EINVAL. PAE: the same with 512 slots of 8-byte entries.
machine ram=1G seed=1 aslr=off arch=i386
spawn a
lo = alloc_pages 0 gfp=GFP_KERNEL
v = kmap lo
pv = pagewalk a v
expect v == 0xc0000000 + pv
hi = alloc_pages 0 gfp=GFP_HIGHUSER
h = kmap hi
expect h == 0xff801000
ph = pagewalk a h
expect ph >= 896M
h2 = kmap hi
expect h2 == h
r = kunmap hi
r = kunmap hi
expect r == 0
r = kunmap hi
expect r == -EINVAL
r = kunmap lo
expect r == 0
expect signal SIGSEGV a: x = load h 1
free_pages hi 0
free_pages lo 0
machine ram=1G seed=1 aslr=off arch=i386 pae=1
spawn a
hi = alloc_pages 0 gfp=GFP_HIGHUSER
h = kmap hi
expect h == 0xff801000
pagewalk a h
