/* NUMA memory policies (include/uapi/linux/mempolicy.h, include/linux/mempolicy.h): where a task's
 * or a VMA's pages are allocated. A policy is held by value, in the task and in each VMA (the
 * kernel shares refcounted ones); MPOL_DEFAULT in a VMA defers to the task's, and the task's
 * default is local allocation. */
#ifndef MMLAB_MEMPOLICY_H
#define MMLAB_MEMPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <mmlab/mmzone.h>

struct machine;
struct page;
struct seq_file;
struct task_struct;
struct vm_area_struct;

/* The policy modes (include/uapi/linux/mempolicy.h), in the kernel's numbering. */
enum {
	MPOL_DEFAULT,
	MPOL_PREFERRED,
	MPOL_BIND,
	MPOL_INTERLEAVE,
	MPOL_LOCAL,
	MPOL_MAX,	/* preferred_many and weighted_interleave are not modelled */
};

/* struct mempolicy (include/linux/mempolicy.h): the mode and its nodes (none for default and local). */
struct mempolicy {
	unsigned short mode;
	nodemask_t nodes;
};

/* mpol_equal (include/linux/mempolicy.h): VMAs merge only when their policies are the same. */
static inline bool mpol_equal(const struct mempolicy *a, const struct mempolicy *b)
{
	return a->mode == b->mode && a->nodes.bits == b->nodes.bits;
}

/* mpol_to_str (mm/mempolicy.c): the policy as numa_maps shows it: the mode, then ':' and its nodes as
 * a list of ranges ("interleave:0-1", "prefer:1", "default"); cut to maxlen with its NUL. */
void mpol_to_str(char *buffer, size_t maxlen, const struct mempolicy *pol);
/* get_task_policy's part of numa_maps: the policy a VMA's pages follow, its own unless MPOL_DEFAULT,
 * then its task's (__get_vma_policy, else the task's). */
const struct mempolicy *vma_policy_or_task(const struct vm_area_struct *vma, const struct task_struct *tsk);

/* sys_set_mempolicy (mm/mempolicy.c): the task's policy; nmask holds maxnode bits. 0 or -EINVAL. */
long sys_set_mempolicy(struct task_struct *tsk, int mode, const unsigned long *nmask, unsigned long maxnode);
/* sys_mbind (mm/mempolicy.c): the policy of [start, start + len), VMAs split to fit; 0, -EINVAL, or
 * -EFAULT when part of the range is not mapped. Pages already there stay where they are. */
long sys_mbind(struct task_struct *tsk, unsigned long start, unsigned long len, int mode, const unsigned long *nmask,
	       unsigned long maxnode);

/* vma_alloc_folio (mm/mempolicy.c): a page of the order for addr in vma, from the node the VMA's
 * (else the task's) policy picks: interleave by the page's offset in the mapping. */
struct page *vma_alloc_folio(gfp_t gfp, unsigned int order, struct vm_area_struct *vma, unsigned long addr);

/* mpol_check (no kernel counterpart): 0 when the policy is well formed for the machine. */
int mpol_check(const struct machine *m, const struct mempolicy *pol);
/* mempolicy_check: every task's and every VMA's policy well formed, each mm owned by its task; the
 * number of violations, each described in report (machine_check's part). */
int mempolicy_check(struct machine *m, struct seq_file *report);

#endif
