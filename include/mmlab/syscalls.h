/*
 * The memory-management system calls a simulated process makes (include/linux/syscalls.h): each
 * returns what the kernel returns, an address or 0, or a negative errno. Their constants are in
 * <mmlab/mman.h> (the same values as the host's <sys/mman.h> on x86).
 */
#ifndef MMLAB_SYSCALLS_H
#define MMLAB_SYSCALLS_H

#include <stddef.h>

struct task_struct;
struct file;
struct rlimit;

/* mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c, mm/mlock.c */
long sys_mmap(struct task_struct *tsk, unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags);
/* sys_mmap_file: mmap of an open file at byte offset off (a page multiple, else -EINVAL). */
long sys_mmap_file(struct task_struct *tsk, unsigned long addr, unsigned long len, unsigned long prot,
		   unsigned long flags, struct file *file, unsigned long off);
long sys_munmap(struct task_struct *tsk, unsigned long addr, size_t len);
long sys_mprotect(struct task_struct *tsk, unsigned long start, size_t len, unsigned long prot);
long sys_brk(struct task_struct *tsk, unsigned long brk);
long sys_mremap(struct task_struct *tsk, unsigned long addr, unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr);
long sys_madvise(struct task_struct *tsk, unsigned long start, size_t len, int behavior);
/* madvise_advice_by_name: the MADV_ value of an advice named as scenarios name it ("dontneed"), or -1;
 * madvise_advice_name: the name of the i-th advice the machine takes, NULL past the last. */
int madvise_advice_by_name(const char *name);
const char *madvise_advice_name(size_t i);
long sys_mlock(struct task_struct *tsk, unsigned long start, size_t len);
long sys_mlock2(struct task_struct *tsk, unsigned long start, size_t len, int flags);
long sys_munlock(struct task_struct *tsk, unsigned long start, size_t len);
long sys_mlockall(struct task_struct *tsk, int flags);
long sys_munlockall(struct task_struct *tsk);
/* mm/msync.c */
long sys_msync(struct task_struct *tsk, unsigned long start, size_t len, int flags);

/* kernel/sys.c: RLIMIT_STACK and RLIMIT_MEMLOCK can be set; other resources are -EINVAL */
long sys_setrlimit(struct task_struct *tsk, unsigned int resource, const struct rlimit *new_rlim);
long sys_setuid(struct task_struct *tsk, unsigned int uid);

#endif
