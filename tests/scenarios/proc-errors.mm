# The system calls answer bad arguments with the kernel's errors.
machine ram=64M seed=2
spawn a
a: r = mmap 0 rw private,anon
expect r == -EINVAL
a: r = mmap 4K rw anon
expect r == -EINVAL
a: r = mmap 4K rw private
expect r == -EBADF
a: r = mmap 4K rw private,anon,fixed addr=0x1001
expect r == -EINVAL
a: r = mmap 1T rw private,anon,fixed addr=0x7fffffff0000
expect r == -ENOMEM
a: p = mmap 16K rw private,anon
a: r = munmap p+1 4K
expect r == -EINVAL
a: r = munmap p 0
expect r == -EINVAL
a: r = munmap p+64K 4K
expect r == 0
a: r = mprotect p+1 4K r
expect r == -EINVAL
a: r = mprotect p-4K 4K r
expect r == -ENOMEM
a: r = mprotect p 0 r
expect r == 0
# the range runs into a hole: the part before it changes, then ENOMEM
a: r = munmap p+8K 4K
a: r = mprotect p 16K r
expect r == -ENOMEM
a: v = load p 1
expect signal SIGSEGV a: store p 1 1
