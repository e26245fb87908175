# Kernel space is out of a process's reach (seed 1.2): the kernel's pages are mapped without the
# U/S bit, so a user load or store of a kernel address (here a direct-map page from
# __get_free_pages) is a SIGSEGV for that process alone; the machine and its other processes go
# on. On i386 user space ends at TASK_SIZE, 3 GiB: no mapping may start or reach past 0xc0000000.
machine ram=64M aslr=off
k = __get_free_pages 0
kwrite k 0 8 0x5a
spawn reader
expect signal SIGSEGV reader: x = load k 8
spawn writer
expect signal SIGSEGV writer: store k 1 1
kread k 0 8
spawn ok
ok: p = mmap 4K rw private,anon
ok: store p 0x77 1
ok: v = load p 1
expect v == 0x77
free_pages k 0

machine ram=64M arch=i386 aslr=off
spawn a
a: r = mmap 4K rw private,anon,fixed addr=0xc0000000
expect r == -ENOMEM
a: r = mmap 8K rw private,anon,fixed addr=0xbffff000
expect r == -ENOMEM
a: top = mmap 4K rw private,anon,fixed addr=0xbffff000
expect top == 0xbffff000
k = __get_free_pages 0
expect k >= 0xc0000000
expect signal SIGSEGV a: x = load k 4
check
