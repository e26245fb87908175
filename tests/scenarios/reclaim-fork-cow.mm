# A forked child and its parent, both swapped out and back in, keep their own bytes. After fork they
# share every page of a 24M buffer of seq bytes. The child writes 0x22 over [0, 8M) and the parent
# 0x33 over [8M, 16M): copy-on-write gives each its own copies there; [16M, 24M) stays shared. A
# third process pushes both out to swap (a shared page goes out once: a swap PTE in each process
# points at the same slot). Both fault everything back in (the shared pages come back shared, from
# the swap cache), then write the shared part: copy-on-write of swapped-in pages. verify checks the
# seq bytes (read from the swap device while they are out); loads check the written bytes.
machine ram=64M seed=9
mkswap /swapfile size=256M
swapon /swapfile
spawn p
p: buf = mmap 24M rw private,anon
p: write buf 24M fill=seq
fork p c
c: write buf 8M fill=0x22
p: write buf+8M 8M fill=0x33
spawn hog
hog: h = mmap 64M rw private,anon
hog: write h 64M fill=seq
expect /proc/p/status:VmSwap > 20M
expect /proc/c/status:VmSwap > 20M
verify
repeat 2048 as i
  c: y = load buf+i*4K 1
  p: x = load buf+8M+i*4K 1
  expect y == 0x22
  expect x == 0x33
end
p: read buf 24M
c: read buf 24M
verify
expect /proc/vmstat:pswpin > 0
echo "the pages shared since fork, swapped out and in, are written by each:"
p: write buf+16M 4M fill=0x44
c: write buf+20M 4M fill=0x55
hog: write h 64M fill=seq
verify
p: x = load buf+20M-1 1
c: y = load buf+24M-1 1
expect x == 0x44
expect y == 0x55
p: x = load buf+8M 1
c: y = load buf 1
expect x == 0x33
expect y == 0x22
