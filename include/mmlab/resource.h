/*
 * Resource limits (include/uapi/asm-generic/resource.h, include/asm-generic/resource.h): the
 * kernel's numbers and the defaults every task starts with (INIT_RLIMITS). The memory-management
 * code consults RLIMIT_STACK and RLIMIT_MEMLOCK; the others are shown in /proc/PID/limits.
 */
#ifndef MMLAB_RESOURCE_H
#define MMLAB_RESOURCE_H

#define RLIMIT_CPU		0
#define RLIMIT_FSIZE		1
#define RLIMIT_DATA		2
#define RLIMIT_STACK		3
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6
#define RLIMIT_NOFILE		7
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16
#define RLIM_INFINITY		(~0UL)

/* _STK_LIM: the default soft limit of the stack (8 MiB); its hard limit is RLIM_INFINITY. */
#define _STK_LIM	(8UL << 20)
/* MLOCK_LIMIT: what an unprivileged task may lock, soft and hard (8 MiB since 5.16). */
#define MLOCK_LIMIT	(8UL << 20)
/* INR_OPEN_CUR, INR_OPEN_MAX: open files (include/uapi/linux/fs.h); MQ_BYTES_MAX: POSIX message
 * queues (include/linux/mqueue.h). */
#define INR_OPEN_CUR	1024
#define INR_OPEN_MAX	4096
#define MQ_BYTES_MAX	819200

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

#endif
