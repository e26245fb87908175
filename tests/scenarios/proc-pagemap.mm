# pagemap: per page, the frame and whether it is present, mapped only here (exclusive), or a
# file or shared-anonymous page; a never-touched page has no entry, the zero page is not exclusive.
machine ram=64M seed=19 aslr=off
spawn a
a: p = mmap 16K rw private,anon
a: store p 1 1
a: x = load p+4K
a: s = mmap 4K rw shared,anon
a: store s 1 1
fork a b
pagemap a p 16K
pagemap b p 8K
pagemap a s
b: store p 2 1
pagemap b p
e = pagemap a p+8K
expect e == 0
