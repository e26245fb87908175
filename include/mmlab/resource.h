/*
 * Resource limits (include/uapi/linux/resource.h, include/asm-generic/resource.h): the stack's, the
 * one the memory-management code consults, with the kernel's number and default (INIT_RLIMITS).
 */
#ifndef MMLAB_RESOURCE_H
#define MMLAB_RESOURCE_H

#define RLIMIT_STACK	3
#define RLIM_NLIMITS	16
#define RLIM_INFINITY	(~0UL)

/* _STK_LIM: the default soft limit of the stack (8 MiB); its hard limit is RLIM_INFINITY. */
#define _STK_LIM	(8UL << 20)

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

#endif
