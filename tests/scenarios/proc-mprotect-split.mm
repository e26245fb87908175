# mprotect of the first half of a VMA splits it in two; restoring the protection merges them back.
machine ram=128M seed=5 aslr=off
spawn a
a: buf = mmap 64K rw private,anon
a: write buf 64K fill=seq
echo "before:"
cat /proc/a/maps
a: r = mprotect buf 32K r
expect r == 0
echo "first half read-only:"
cat /proc/a/maps
a: r = mprotect buf 32K rw
expect r == 0
echo "restored:"
cat /proc/a/maps
a: r = mprotect buf+16K 16K none
echo "a hole of PROT_NONE in the middle:"
cat /proc/a/maps
expect signal SIGSEGV a: load buf+20K
verify
