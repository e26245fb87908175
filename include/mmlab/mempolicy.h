/* NUMA memory policies (include/uapi/linux/mempolicy.h, include/linux/mempolicy.h): where a task's
 * or a VMA's pages are allocated. A policy is held by value, in the task and in each VMA (the
 * kernel shares refcounted ones); MPOL_DEFAULT in a VMA defers to the task's, and the task's
 * default is local allocation. */
#ifndef MMLAB_MEMPOLICY_H
#define MMLAB_MEMPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <mmlab/mmzone.h>

struct list_head;
struct machine;
struct mm_struct;
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

/* The flags of mbind and move_pages (include/uapi/linux/mempolicy.h): MPOL_MF_STRICT fails when a
 * page is not where the policy wants it, MPOL_MF_MOVE moves the pages only this process maps,
 * MPOL_MF_MOVE_ALL (CAP_SYS_NICE) the shared ones too. */
#define MPOL_MF_STRICT		(1 << 0)
#define MPOL_MF_MOVE		(1 << 1)
#define MPOL_MF_MOVE_ALL	(1 << 2)
#define MPOL_MF_VALID		(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)
#define MPOL_MF_INVERT		(1 << 5)	/* internal: queue the pages off the nodes given */

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
 * -EFAULT when part of the range is not mapped. flags MPOL_MF_MOVE (MPOL_MF_MOVE_ALL, CAP_SYS_NICE:
 * shared pages too) migrate the pages already there that are off the nodes given to where the
 * policy puts them; MPOL_MF_STRICT makes a page left misplaced -EIO. */
long sys_mbind(struct task_struct *tsk, unsigned long start, unsigned long len, int mode, const unsigned long *nmask,
	       unsigned long maxnode, unsigned long flags);
/* sys_migrate_pages (mm/mempolicy.c kernel_migrate_pages): every page of tsk on a node of old_nodes
 * moves to the node in the same place in new_nodes (do_migrate_pages), shared pages too when tsk
 * has CAP_SYS_NICE. The number of pages that could not move; -EINVAL for a bad mask, -EPERM for
 * nodes without memory without CAP_SYS_NICE, -ENOMEM. tsk calls it on itself (pid 0). */
long sys_migrate_pages(struct task_struct *tsk, unsigned long maxnode, const unsigned long *old_nodes,
		       const unsigned long *new_nodes);
/* queue_pages_range (mm/mempolicy.c): the pages of [start, end) on the nodes of nmask (off them with
 * MPOL_MF_INVERT) isolated onto pagelist when flags have MPOL_MF_MOVE or MPOL_MF_MOVE_ALL (a PMD-mapped
 * THP split first); the number that needed it and could not be, or -EIO at the first one with
 * MPOL_MF_STRICT alone. Hugetlb VMAs and those that cannot migrate are passed over. */
long queue_pages_range(struct mm_struct *mm, unsigned long start, unsigned long end, nodemask_t nmask,
		       unsigned long flags, struct list_head *pagelist);
/* alloc_migration_target_by_mpol (mm/mempolicy.c): a migration target where private (a struct
 * mempolicy) would allocate the page at src's index (default: local). */
struct page *alloc_migration_target_by_mpol(struct machine *m, struct page *src, void *private);

/* vma_alloc_folio (mm/mempolicy.c): a page of the order for addr in vma, from the node the VMA's
 * (else the task's) policy picks: interleave by the page's offset in the mapping. */
struct page *vma_alloc_folio(gfp_t gfp, unsigned int order, struct vm_area_struct *vma, unsigned long addr);

/* change_prot_numa (mm/mempolicy.c): the PTEs of [start, end) PAGE_NONE for NUMA hinting faults
 * (change_protection with MM_CP_PROT_NUMA), counted in numa_pte_updates; the number changed. */
long change_prot_numa(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* mpol_misplaced (mm/mempolicy.c): after a hinting fault on page from this_cpu, the node it should
 * move to, or NUMA_NO_NODE: under the default policy, this CPU's node when the page is elsewhere and
 * should_numa_migrate_memory agrees; other policies do not migrate on fault (no MPOL_F_MOF). */
int mpol_misplaced(struct page *page, struct vm_area_struct *vma, int this_cpu);

/* mpol_check (no kernel counterpart): 0 when the policy is well formed for the machine. */
int mpol_check(const struct machine *m, const struct mempolicy *pol);
/* mempolicy_check: every task's and every VMA's policy well formed, each mm owned by its task, its
 * NUMA scan resuming below TASK_SIZE, its access cost what its bytes allow; the number of
 * violations, each described in report (machine_check's part). */
int mempolicy_check(struct machine *m, struct seq_file *report);

#endif
