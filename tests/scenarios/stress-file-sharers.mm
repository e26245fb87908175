# Regression (property tests, files seed 2): what a process wrote with fill=seq through a shared file
# mapping stops being its to verify once another shared mapping of those bytes of the file writes
# them; verify reported the second writer's bytes as lost.
machine ram=64M
truncate /f size=64K
spawn a
spawn b
a: p = mmap 64K rw shared file=/f
b: q = mmap 32K rw shared file=/f offset=16K
a: write p 64K fill=seq
b: write q+4K 8K fill=0x5a
a: x = load p+20K 1
expect x == 0x5a
a: y = load p+24K 1
expect y == 0x5a
verify
echo "a's other bytes are still a's: the file keeps them through writeback and reclaim"
a: r = msync p 64K sync
echo 3 > /proc/sys/vm/drop_caches
verify
