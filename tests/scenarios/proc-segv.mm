# A store to a read-only mapping kills the process with SIGSEGV (and the kernel's message); after
# mprotect rw the same store succeeds. An address in no VMA is a SIGSEGV too; the machine goes on.
machine ram=128M seed=9
spawn a
a: ro = mmap 8K r private,anon
fork a b
expect signal SIGSEGV b: store ro 1 1
a: r = mprotect ro 8K rw
expect r == 0
a: store ro 0x5a 1
a: v = load ro 1
expect v == 0x5a
expect signal SIGSEGV a: store 0 1
