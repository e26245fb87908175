# mremap: shrink unmaps the tail; growing into free space stays in place; growing into a neighbour
# fails without maymove and moves with it, the pages (and their bytes) going along; fixed moves
# to a given address. The reverse map and verify follow the pages.
machine ram=64M seed=20 aslr=off
spawn a
a: p = mmap 64K rw private,anon
a: write p 64K fill=seq
a: r = mremap p 64K 32K
expect r == p
expect /proc/a/status:RssAnon == 32K
# the space above p+32K is free again: grow in place
a: r = mremap p 32K 48K
expect r == p
a: x = load p+40K 1
expect x == 0
# a neighbour right above: no room in place
a: q = mmap 4K r private,anon,fixed addr=p+48K
a: r = mremap p 48K 128K
expect r == -ENOMEM
a: n = mremap p 48K 128K maymove
expect n != p
expect /proc/a/status:RssAnon == 32K
cat /proc/a/maps
verify
fork a b
b: m = mremap n 16K 16K maymove,fixed addr=0x100000000
expect m == 0x100000000
phys = pagewalk b m
n2 = rmap phys / 4K
expect n2 == 2
verify
a: r = mremap n+4K 4K 8K fixed
expect r == -EINVAL
a: r = mremap n 8K 8K maymove,fixed addr=n+4K
expect r == -EINVAL
a: r = mremap n+1 4K 8K
expect r == -EINVAL
a: r = mremap 0x10000 4K 8K
expect r == -EFAULT
