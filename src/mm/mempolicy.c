/*
 * NUMA memory policies (mm/mempolicy.c): set_mempolicy gives a task a policy, mbind gives one to a
 * range of its VMAs (splitting them at the range's ends). A fault allocates through the policy of
 * its VMA, else of the task, else local allocation: preferred tries its node first, bind keeps to
 * its nodes, interleave spreads the pages of a mapping over its nodes by their offset in it.
 */
#include <errno.h>
#include <stdio.h>

#include <mmlab/gfp.h>
#include <mmlab/mempolicy.h>
#include <mmlab/mm.h>
#include <mmlab/vmstat.h>

#include "mm/internal.h"

#define BITS_PER_LONG	(8 * (unsigned long)sizeof(unsigned long))

static const char *const policy_modes[MPOL_MAX] = {
	[MPOL_DEFAULT] = "default",
	[MPOL_PREFERRED] = "prefer",
	[MPOL_BIND] = "bind",
	[MPOL_INTERLEAVE] = "interleave",
	[MPOL_LOCAL] = "local",
};

/* bitmap_print_to_pagebuf's list form (%*pbl): the nodes as ranges, "0-1,3". */
static int nodelist_scnprintf(char *buf, size_t size, nodemask_t nodes)
{
	int len = 0;

	for (int nid = 0; nid < MAX_NUMNODES && (size_t)len < size; nid++) {
		int last = nid;

		if (!((nodes.bits >> nid) & 1))
			continue;
		while (last + 1 < MAX_NUMNODES && ((nodes.bits >> (last + 1)) & 1))
			last++;
		len += snprintf(buf + len, size - (size_t)len, last > nid ? "%s%d-%d" : "%s%d", len ? "," : "", nid, last);
		nid = last;
	}
	return len;
}

void mpol_to_str(char *buffer, size_t maxlen, const struct mempolicy *pol)
{
	int len = snprintf(buffer, maxlen, "%s", policy_modes[pol->mode]);

	if (pol->nodes.bits && (size_t)len + 1 < maxlen) {
		buffer[len++] = ':';
		nodelist_scnprintf(buffer + len, maxlen - (size_t)len, pol->nodes);
	}
}

/* node_states[N_MEMORY] (include/linux/nodemask.h): the nodes with memory. */
static nodemask_t node_states_memory(const struct machine *m)
{
	nodemask_t mask = { 0 };

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		if (NODE_DATA(m, nid)->node_present_pages)
			mask.bits |= 1UL << nid;
	return mask;
}

/* first_node, next_node (include/linux/nodemask.h); MAX_NUMNODES when there is none. */
static int next_node(int nid, nodemask_t mask)
{
	for (nid++; nid < MAX_NUMNODES; nid++)
		if ((mask.bits >> nid) & 1)
			return nid;
	return MAX_NUMNODES;
}

static int first_node(nodemask_t mask)
{
	return next_node(-1, mask);
}

/* get_bitmap: the first bits of the user's word, the rest cleared. */
static unsigned long get_bitmap(unsigned long word, unsigned long bits)
{
	return bits < BITS_PER_LONG ? word & ((1UL << bits) - 1) : word;
}

/* get_nodes: the user's nodemask, nmask holding maxnode - 1 bits (the kernel's long-standing off by
 * one, which libnuma's maxnode + 1 matches); more than a page of bits is -EINVAL, and so is a node
 * set at or past MAX_NUMNODES, checked a word (of up to BITS_PER_LONG bits) at a time from the end. */
static int get_nodes(nodemask_t *nodes, const unsigned long *nmask, unsigned long maxnode)
{
	nodes->bits = 0;
	if (--maxnode == 0 || !nmask)
		return 0;
	if (maxnode > PAGE_SIZE * 8)
		return -EINVAL;
	while (maxnode > MAX_NUMNODES) {
		unsigned long bits = maxnode < BITS_PER_LONG ? maxnode : BITS_PER_LONG;
		unsigned long word = get_bitmap(nmask[(maxnode - 1) / BITS_PER_LONG], bits);

		if (maxnode - bits >= MAX_NUMNODES) {
			maxnode -= bits;
		} else {
			maxnode = MAX_NUMNODES;
			word &= ~((1UL << MAX_NUMNODES) - 1);
		}
		if (word)
			return -EINVAL;
	}
	nodes->bits = get_bitmap(nmask[0], maxnode);
	return 0;
}

/* mpol_new and mpol_set_nodemask: the policy a mode and a nodemask make, the nodes cut to those with
 * memory (cpuset_current_mems_allowed is every node); -EINVAL as the kernel gives it: nodes with
 * default or local, none (left) with bind or interleave. Preferred without nodes is local. */
static int mpol_new(const struct machine *m, struct mempolicy *pol, int mode, nodemask_t nodes)
{
	if (mode < 0 || mode >= MPOL_MAX)
		return -EINVAL;
	*pol = (struct mempolicy){ .mode = (unsigned short)mode };
	if (mode == MPOL_DEFAULT || mode == MPOL_LOCAL)
		return nodes.bits ? -EINVAL : 0;
	if (mode == MPOL_PREFERRED && !nodes.bits) {
		pol->mode = MPOL_LOCAL;
		return 0;
	}
	nodes.bits &= node_states_memory(m).bits;
	if (!nodes.bits)
		return -EINVAL;
	/* mpol_new_preferred keeps the first node only */
	pol->nodes.bits = mode == MPOL_PREFERRED ? 1UL << first_node(nodes) : nodes.bits;
	return 0;
}

long sys_set_mempolicy(struct task_struct *tsk, int mode, const unsigned long *nmask, unsigned long maxnode)
{
	struct mempolicy pol;
	nodemask_t nodes;
	int err = get_nodes(&nodes, nmask, maxnode);

	if (err || (err = mpol_new(tsk->mm->machine, &pol, mode, nodes)))
		return err;
	tsk->mempolicy = pol;
	return 0;
}

/* The range is mapped throughout (queue_pages_range's -EFAULT for a hole). */
static bool range_mapped(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	for (unsigned long addr = start; addr < end; addr = vma->vm_end, vma = vma->vm_next)
		if (!vma || vma->vm_start > addr)
			return false;
	return true;
}

/* vma_modify_policy (mm/vma.c): the part of *vmap in [start, end) split off, given pol, and merged
 * with its neighbours where they now match; split_vma's error (-EINVAL through a huge page, -ENOMEM). */
static int vma_modify_policy(struct mm_struct *mm, struct vm_area_struct **vmap, unsigned long start,
			     unsigned long end, const struct mempolicy *pol)
{
	struct vm_area_struct *vma = *vmap;
	int err;

	if (start > vma->vm_start && (err = split_vma(mm, vma, start, true)))
		return err;
	if (end < vma->vm_end && (err = split_vma(mm, vma, end, false)))
		return err;
	vma->vm_policy = *pol;
	*vmap = vma_merge_neighbours(mm, vma);
	return 0;
}

/* do_mbind: the checks of kernel_mbind, then mbind_range on each VMA of the range. */
long sys_mbind(struct task_struct *tsk, unsigned long start, unsigned long len, int mode, const unsigned long *nmask,
	       unsigned long maxnode)
{
	struct mm_struct *mm = tsk->mm;
	struct mempolicy pol;
	nodemask_t nodes;
	unsigned long end;
	int err;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if ((err = get_nodes(&nodes, nmask, maxnode)) || (err = mpol_new(mm->machine, &pol, mode, nodes)))
		return err;
	if (end == start)
		return 0;
	if (!range_mapped(mm, start, end))
		return -EFAULT;
	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next) {
		err = vma_modify_policy(mm, &vma, start > vma->vm_start ? start : vma->vm_start,
					end < vma->vm_end ? end : vma->vm_end, &pol);
		if (err)
			return err;
	}
	return 0;
}

const struct mempolicy *vma_policy_or_task(const struct vm_area_struct *vma, const struct task_struct *tsk)
{
	return vma->vm_policy.mode != MPOL_DEFAULT || !tsk ? &vma->vm_policy : &tsk->mempolicy;
}

/* get_vma_policy: the VMA's policy, else its task's, else local allocation (default_policy); *ilx,
 * for interleave, the index of the order-sized page in the mapping. */
static struct mempolicy get_vma_policy(const struct vm_area_struct *vma, unsigned long addr, unsigned int order,
				       unsigned long *ilx)
{
	struct mempolicy pol = *vma_policy_or_task(vma, vma->vm_mm->owner);

	if (pol.mode == MPOL_DEFAULT)
		pol.mode = MPOL_LOCAL;
	*ilx = (vma->vm_pgoff >> order) + ((addr - vma->vm_start) >> (PAGE_SHIFT + order));
	return pol;
}

/* interleave_nid: the node of the ilx-th page: the (ilx mod weight)-th node of the mask. */
static int interleave_nid(const struct mempolicy *pol, unsigned long ilx)
{
	unsigned long nnodes = (unsigned long)__builtin_popcountl(pol->nodes.bits);
	int nid = first_node(pol->nodes);

	for (unsigned long target = ilx % nnodes; target; target--)
		nid = next_node(nid, pol->nodes);
	return nid;
}

/* policy_nodemask: the nodemask the allocation keeps to (bind), and in *nid the node it starts from. */
static const nodemask_t *policy_nodemask(const struct mempolicy *pol, unsigned long ilx, int *nid)
{
	switch (pol->mode) {
	case MPOL_PREFERRED:
		*nid = first_node(pol->nodes);
		return NULL;
	case MPOL_BIND:
		return &pol->nodes;
	case MPOL_INTERLEAVE:
		*nid = interleave_nid(pol, ilx);
		return NULL;
	default:
		return NULL;
	}
}

/* alloc_pages_mpol: allocate by the policy; interleave_hit when the page is on the node interleave
 * chose (numa_hit, numa_miss and the rest count as for any allocation). */
static struct page *alloc_pages_mpol(struct machine *m, gfp_t gfp, unsigned int order, const struct mempolicy *pol,
				     unsigned long ilx, int nid)
{
	const nodemask_t *nodemask = policy_nodemask(pol, ilx, &nid);
	struct page *page = __alloc_pages_nodemask(m, gfp, order, nid, nodemask);

	if (page && pol->mode == MPOL_INTERLEAVE && page_to_nid(page) == nid)
		__count_numa_event(page_zone(m, page), NUMA_INTERLEAVE_HIT);
	return page;
}

struct page *vma_alloc_folio(gfp_t gfp, unsigned int order, struct vm_area_struct *vma, unsigned long addr)
{
	struct machine *m = vma->vm_mm->machine;
	unsigned long ilx;
	struct mempolicy pol = get_vma_policy(vma, addr, order, &ilx);

	return alloc_pages_mpol(m, gfp, order, &pol, ilx, m->cpu_to_node[m->this_cpu]);
}

int mpol_check(const struct machine *m, const struct mempolicy *pol)
{
	nodemask_t memory = node_states_memory(m);

	switch (pol->mode) {
	case MPOL_DEFAULT:
	case MPOL_LOCAL:
		return pol->nodes.bits ? -EINVAL : 0;
	case MPOL_PREFERRED:
		return __builtin_popcountl(pol->nodes.bits) == 1 && !(pol->nodes.bits & ~memory.bits) ? 0 : -EINVAL;
	case MPOL_BIND:
	case MPOL_INTERLEAVE:
		return pol->nodes.bits && !(pol->nodes.bits & ~memory.bits) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

int mempolicy_check(struct machine *m, struct seq_file *report)
{
	struct task_struct *tsk;
	int errors = 0;

	if (!m->tasks)
		return 0;
	list_for_each_entry(tsk, &m->tasks->tasks, tasks) {
		if (mpol_check(m, &tsk->mempolicy))
			check_report(report, &errors, "%s[%d]: memory policy mode %u nodes %#lx is not one set_mempolicy makes",
				     tsk->comm, tsk->pid, tsk->mempolicy.mode, tsk->mempolicy.nodes.bits);
		if (tsk->mm->owner != tsk)
			check_report(report, &errors, "%s[%d]: its mm's owner is not the task", tsk->comm, tsk->pid);
		for (struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next)
			if (mpol_check(m, &vma->vm_policy))
				check_report(report, &errors, "%s[%d]: VMA %lx-%lx has policy mode %u nodes %#lx, not one mbind makes",
					     tsk->comm, tsk->pid, vma->vm_start, vma->vm_end, vma->vm_policy.mode,
					     vma->vm_policy.nodes.bits);
	}
	return errors;
}
