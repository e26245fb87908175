/*
 * The constants of the memory-mapping system calls (include/uapi/asm-generic/mman-common.h,
 * mman.h), the kernel's values; the calls are in <mmlab/syscalls.h>.
 */
#ifndef MMLAB_MMAN_H
#define MMLAB_MMAN_H

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
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_HUGETLB		0x40000
#define MAP_FIXED_NOREPLACE	0x100000
/* MAP_HUGETLB's page size: its log2 in bits 26-31 (include/uapi/asm-generic/hugetlb_encode.h). */
#define MAP_HUGE_SHIFT		26
#define MAP_HUGE_MASK		0x3f
#define MAP_HUGE_2MB		(21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB		(30U << MAP_HUGE_SHIFT)

/* vm.overcommit_memory (include/uapi/linux/mman.h). */
#define OVERCOMMIT_GUESS	0
#define OVERCOMMIT_ALWAYS	1
#define OVERCOMMIT_NEVER	2

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2

#define MS_ASYNC		1
#define MS_INVALIDATE		2
#define MS_SYNC			4

#define MCL_CURRENT		1
#define MCL_FUTURE		2
#define MCL_ONFAULT		4

#define MLOCK_ONFAULT		0x01

#define MADV_NORMAL		0
#define MADV_RANDOM		1
#define MADV_SEQUENTIAL		2
#define MADV_WILLNEED		3
#define MADV_DONTNEED		4
#define MADV_FREE		8
#define MADV_REMOVE		9
#define MADV_DONTFORK		10
#define MADV_DOFORK		11
#define MADV_MERGEABLE		12
#define MADV_UNMERGEABLE	13
#define MADV_HUGEPAGE		14
#define MADV_NOHUGEPAGE		15
#define MADV_WIPEONFORK		18
#define MADV_KEEPONFORK		19
#define MADV_COLD		20
#define MADV_PAGEOUT		21
#define MADV_DONTNEED_LOCKED	24
#define MADV_COLLAPSE		25

#endif
