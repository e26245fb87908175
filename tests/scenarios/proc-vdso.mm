# Every program gets [vvar] (4 pages), [vvar_vclock] (2) and [vdso] (2), placed together top-down
# from mmap_base as 6.18 does. The vDSO's pages are the kernel's: its ELF image reads back, a write
# is SIGSEGV (read-only, executable); touched, it counts in RssFile and smaps Rss. [vvar] is raw
# frames (VM_PFNMAP: pf io in VmFlags), never counted in Rss; the time-namespace page and the
# paravirt clock pages do not exist on this machine (SIGBUS). fork and exec keep the three; mremap
# never grows them, madvise does not drop raw frames, a split [vvar] still faults by page offset.
machine ram=64M seed=1 aslr=off
spawn a
cat /proc/a/maps
vdso = 0x7ffff7fff000 - 8K
vvar = vdso - 24K
a: elf = load vdso 4
expect elf == 0x464c457f
a: t = load vvar 8
a: r = load vvar+2*4K 8
expect /proc/a/status:RssFile == 4K
expect /proc/a/smaps_rollup:Rss == 4K
expect /proc/a/smaps_rollup:Pss_File == 4K
expect /proc/meminfo:Mapped == 4K
pagemap a vvar 32K
cat /proc/a/smaps
fork a b
cat /proc/b/maps
# fork copies raw-frame PTEs (vma_needs_copy), with no struct page to count: b's vvar is mapped
pagemap b vvar 16K
expect /proc/b/status:RssFile == 0
# special mappings: never grown by mremap, not the LRU's to drop, never made writable or executable
# without VM_MAYWRITE/VM_MAYEXEC
b: r = mremap vvar 16K 32K maymove
expect r == -EFAULT
b: r = mremap vdso 8K 12K maymove
expect r == -EFAULT
b: r = madvise vvar 16K dontneed
expect r == -EINVAL
b: r = madvise vvar 16K pageout
expect r == -EINVAL
b: r = mprotect vvar 16K rw
expect r == -EACCES
# a split [vvar] faults by its page offset: the getrandom page two pages in
b: r = munmap vvar 4K
b: r = madvise vvar+4K 12K dontneed
expect r == -EINVAL
b: t = load vvar+8K 8
expect signal SIGBUS b: t = load vvar+4K 1
spawn b2
expect signal SIGSEGV b2: store vdso 1 1
expect /proc/meminfo:Mapped == 4K
spawn c
expect signal SIGBUS c: t = load vvar+4K 1
spawn d
expect signal SIGBUS d: t = load vdso-8K 1
exit a
expect /proc/meminfo:Mapped == 0
spawn e
e: r = exec /bin/true
expect r == 0
expect /proc/e/smaps_rollup:Rss == /proc/e/status:RssAnon
e: elf = load vdso 4
expect elf == 0x464c457f
