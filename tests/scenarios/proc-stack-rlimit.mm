# RLIMIT_STACK bounds the stack's growth (acct_stack_growth) and, at exec, sets how far below the
# stack mmap_base goes (arch/x86/mm/mmap.c mmap_base: the limit plus the guard gap, at least 128M);
# fork copies the limit. A soft limit above the hard one is -EINVAL.
machine ram=64M seed=13 aslr=off
spawn a
a: r = setrlimit stack 16M
expect r == 0
a: store 0x7ffffffff000-12M 2 1
expect /proc/a/status:VmStk == 12M
a: store 0x7ffffffff000-16M 3 1
expect /proc/a/status:VmStk == 16M
expect signal SIGSEGV a: store 0x7ffffffff000-16M-4K 4 1

spawn b
b: r = setrlimit stack 4M 2M
expect r == -EINVAL
b: r = setrlimit stack 256M
fork b c
# the child has the same limit: it may grow its stack past 8M
c: store 0x7ffffffff000-40M 1 1
expect /proc/c/status:VmStk == 40M
# exec lays out the new address space under the limit: mmap_base is 256M + 1M below the stack top,
# the vDSO's 32K right under it
b: r = exec /bin/true
expect r == 0
b: m = mmap 4K rw private,anon
expect m == 0x7ffffffff000 - 256M - 1M - 32K - 4K
b: r = setrlimit stack 1M
b: r = exec /bin/true
b: m = mmap 4K rw private,anon
expect m == 0x7ffffffff000 - 128M - 32K - 4K
expect signal SIGSEGV b: store 0x7ffffffff000-1M-4K 1 1
verify
