/*
 * The memory-mapping system calls as a process sees them (include/uapi/asm-generic/mman-common.h,
 * include/linux/syscalls.h): each returns what the kernel returns, an address or a negative errno.
 */
#ifndef MMLAB_MMAN_H
#define MMLAB_MMAN_H

#include <stddef.h>

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_GROWSDOWN		0x0100
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_FIXED_NOREPLACE	0x100000

#define MADV_NORMAL		0
#define MADV_DONTNEED		4
#define MADV_DONTFORK		10
#define MADV_DOFORK		11
#define MADV_WIPEONFORK		18
#define MADV_KEEPONFORK		19

struct task_struct;

/* The system calls (mm/mmap.c, mm/mprotect.c, mm/madvise.c). */
long sys_mmap(struct task_struct *tsk, unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags);
long sys_munmap(struct task_struct *tsk, unsigned long addr, size_t len);
long sys_mprotect(struct task_struct *tsk, unsigned long start, size_t len, unsigned long prot);
long sys_brk(struct task_struct *tsk, unsigned long brk);
long sys_madvise(struct task_struct *tsk, unsigned long start, size_t len, int behavior);

#endif
