# The stack grows down on a fault below it (expand_stack), up to RLIMIT_STACK (8M) from its top;
# further down is SIGSEGV.
machine ram=64M seed=13 aslr=off
spawn a
expect /proc/a/status:VmStk == 132K
a: store 0x7ffffffde000-64K 1 1
expect /proc/a/status:VmStk == 196K
a: store 0x7ffffffff000-8M 2 1
expect /proc/a/status:VmStk == 8M
cat /proc/a/maps
expect signal SIGSEGV a: store 0x7ffffffff000-8M-4K 3 1
