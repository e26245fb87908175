# The kernel half of every process's page tables (Documentation/arch/x86/x86_64/mm.rst): the pgd's
# upper entries are copied from swapper_pg_dir, so all processes share the kernel's tables. The
# direct map of all RAM at PAGE_OFFSET uses 4K pages for the first MiB and 2M (or 1G) pages
# above, Global and NX, without the User bit (which the entries above them have, as the kernel's
# pgd_populate and friends set it: the leaf decides); the kernel image is mapped at 0xffffffff80000000
# plus its physical address, executable. Those tables are the kernel's (reserved at boot), not
# PageTables (which holds each process's PGD and its VmPTE tables). A user access to the kernel
# half is SIGSEGV (the error codes are checked in tests/unit/test_pgtable.c).
machine ram=64M seed=1 aslr=off
spawn a
spawn b
expect /proc/meminfo:PageTables == /proc/a/status:VmPTE + /proc/b/status:VmPTE + 8K
pagewalk a 0xffff888000000000 + 0x123456
p = pagewalk b 0xffff888000000000 + 0x3000000 + 0x1234
expect p == 0x3001234
pagewalk a 0xffffffff81000000
# the vmalloc area has no page tables here
pagewalk a 0xffffc90000000000
expect /proc/meminfo:DirectMap4k == 2M
expect /proc/meminfo:DirectMap2M == 62M
expect /proc/meminfo:DirectMap1G == 0
expect signal SIGSEGV a: x = load 0xffff888000123456 1
expect signal SIGSEGV b: store 0xffffffff81000000 1 1
spawn c
expect signal SIGSEGV c: store 0xffffc90000000000 1 1
# with 5-level paging the direct map is at 0xff11000000000000; 4G of RAM (3G below the PCI hole,
# 1G above 4G) is mapped with 1G pages from the first 1G boundary
machine ram=4G seed=1 aslr=off la57=1
spawn a
pagewalk a 0xff11000000000000 + 0x40000000
expect /proc/meminfo:DirectMap1G == 3G
