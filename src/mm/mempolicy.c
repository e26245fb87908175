/*
 * NUMA memory policies (mm/mempolicy.c): set_mempolicy gives a task a policy, mbind gives one to a
 * range of its VMAs (splitting them at the range's ends). A fault allocates through the policy of
 * its VMA, else of the task, else local allocation: preferred tries its node first, bind keeps to
 * its nodes, interleave spreads the pages of a mapping over its nodes by their offset in it.
 */
#include <errno.h>
#include <stdio.h>

#include <mmlab/gfp.h>
#include <mmlab/huge_mm.h>
#include <mmlab/mempolicy.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>
#include <mmlab/numa_balancing.h>
#include <mmlab/sched.h>
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

/* mbind_range: every VMA of [start, end) takes pol, split to fit. */
static int mbind_range(struct mm_struct *mm, unsigned long start, unsigned long end, const struct mempolicy *pol)
{
	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next) {
		int err = vma_modify_policy(mm, &vma, start > vma->vm_start ? start : vma->vm_start,
					    end < vma->vm_end ? end : vma->vm_end, pol);

		if (err)
			return err;
	}
	return 0;
}

/* do_mbind: the misplaced pages of the range queued (those off the nodes given; all of them for
 * default and local) when the flags ask to move or check them; the policy set; the queued pages
 * migrated where the policy (the task's for default) would allocate them. -EIO with MPOL_MF_STRICT
 * when a misplaced page stays (and, without a move flag, the policy is not set). */
static long do_mbind(struct task_struct *tsk, unsigned long start, unsigned long end, const struct mempolicy *pol,
		     nodemask_t nodes, unsigned long flags)
{
	struct mm_struct *mm = tsk->mm;
	struct list_head pagelist = LIST_HEAD_INIT(pagelist);
	long nr_failed = 0, err = 0;

	if (flags & (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
		nr_failed = queue_pages_range(mm, start, end, nodes, flags | MPOL_MF_INVERT, &pagelist);
	if (nr_failed < 0)
		return nr_failed;
	err = mbind_range(mm, start, end, pol);
	if (!err && !list_empty(&pagelist)) {
		struct mempolicy target = pol->mode == MPOL_DEFAULT ? tsk->mempolicy : *pol;
		unsigned int nr_succeeded;
		int nr = migrate_pages(mm->machine, &pagelist, alloc_migration_target_by_mpol, free_migration_target,
				       &target, &nr_succeeded);

		nr_failed += nr < 0 ? 1 : nr;
	}
	putback_movable_pages(mm->machine, &pagelist);
	return !err && nr_failed && (flags & MPOL_MF_STRICT) ? -EIO : err;
}

/* kernel_mbind: the flags, the range and the policy checked, then do_mbind. A range partly in a
 * hole is -EFAULT, except for default (MPOL_MF_DISCONTIG_OK), which fails only when no VMA is
 * there at all. */
long sys_mbind(struct task_struct *tsk, unsigned long start, unsigned long len, int mode, const unsigned long *nmask,
	       unsigned long maxnode, unsigned long flags)
{
	struct mm_struct *mm = tsk->mm;
	struct mempolicy pol;
	nodemask_t nodes;
	unsigned long end;
	int err;

	if (flags & ~(unsigned long)MPOL_MF_VALID)
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL) && !capable(tsk, CAP_SYS_NICE))
		return -EPERM;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (mode == MPOL_DEFAULT)
		flags &= ~(unsigned long)MPOL_MF_STRICT;
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if ((err = get_nodes(&nodes, nmask, maxnode)) || (err = mpol_new(mm->machine, &pol, mode, nodes)))
		return err;
	if (end == start)
		return 0;
	if (mode == MPOL_DEFAULT ? !find_vma_intersection(mm, start, end) : !range_mapped(mm, start, end))
		return -EFAULT;
	return do_mbind(tsk, start, end, &pol, nodes, flags);
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

/* ---- queue_pages_range, migrate_pages(2) ---- */

/* struct queue_pages: what queue_pages_range collects: the pages of the nodes in nmask (of the
 * other nodes, with MPOL_MF_INVERT) isolated onto pagelist; nr_failed those that could not be. */
struct queue_pages {
	struct list_head *pagelist;
	unsigned long flags;
	nodemask_t nmask;
	long nr_failed;
};

/* queue_folio_required: the page is on a node of nmask (on another, with MPOL_MF_INVERT). */
static bool queue_folio_required(const struct page *page, const struct queue_pages *qp)
{
	return (bool)((qp->nmask.bits >> page_to_nid(page)) & 1) != !!(qp->flags & MPOL_MF_INVERT);
}

/* strictly_unmovable: MPOL_MF_STRICT without a move flag: the first misplaced page ends the walk. */
static bool strictly_unmovable(unsigned long flags)
{
	return (flags & (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) == MPOL_MF_STRICT;
}

/* migrate_folio_add: a page isolated onto the list; one more than this process maps is left alone
 * unless MPOL_MF_MOVE_ALL. A small page of a THP leaves it first (split_folio: migration moves small
 * pages only). false when it cannot be taken. */
static bool migrate_folio_add(struct machine *m, struct page *page, struct list_head *list, unsigned long flags)
{
	if (!(flags & MPOL_MF_MOVE_ALL) && folio_precise_page_mapcount(page) > 1)
		return true;
	if ((PageHead(page) || PageTail(page)) && split_folio(m, page_folio(page)))
		return false;
	if (!isolate_movable_page(m, page))
		return false;
	list_add_tail(&page->lru, list);
	return true;
}

/* queue_pages_failed: n pages needed moving and stay; a strict check without moving stops there. */
static int queue_pages_failed(struct queue_pages *qp, long n)
{
	qp->nr_failed += n;
	return strictly_unmovable(qp->flags);
}

/* queue_folios_pte_range: a mapped page (not the zero page) of a required node. */
static int queue_folios_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct queue_pages *qp = walk->private;
	struct machine *m = walk->mm->machine;
	struct page *page = vm_normal_page(walk->mm, ptep_get(pte));

	(void)addr;
	if (!page || !queue_folio_required(page, qp))
		return 0;
	if (!(qp->flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) || !migrate_folio_add(m, page, qp->pagelist, qp->flags))
		return queue_pages_failed(qp, 1);
	return 0;
}

/* queue_folios_pmd: a PMD-mapped THP to move is split, and the walk goes on through its PTEs. */
static int queue_folios_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct queue_pages *qp = walk->private;
	struct machine *m = walk->mm->machine;
	unsigned long pfn = pte_pfn(walk->mm->pm, ptep_get(pmd));
	struct page *folio = pfn_to_page(m, pfn);

	(void)addr;
	(void)next;
	if (is_huge_zero_pfn(m, pfn) || !queue_folio_required(folio, qp))
		return 0;
	if (!(qp->flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)))
		return queue_pages_failed(qp, HPAGE_PMD_NR);
	if (((qp->flags & MPOL_MF_MOVE_ALL) || folio_precise_page_mapcount(folio) <= 1) && split_folio(m, folio))
		return queue_pages_failed(qp, HPAGE_PMD_NR);
	return 0;
}

static const struct mm_walk_ops queue_pages_walk_ops = { .pte_entry = queue_folios_pte,
							 .pmd_entry = queue_folios_pmd };

long queue_pages_range(struct mm_struct *mm, unsigned long start, unsigned long end, nodemask_t nmask,
		       unsigned long flags, struct list_head *pagelist)
{
	struct queue_pages qp = { .pagelist = pagelist, .flags = flags, .nmask = nmask };

	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next) {
		/* queue_pages_test_walk: hugetlb and unmigratable VMAs are passed over (not STRICT checked) */
		if (!vma_migratable(vma) || (vma->vm_flags & VM_HUGETLB))
			continue;
		if (walk_page_range(mm, vma->vm_start > start ? vma->vm_start : start, vma->vm_end < end ? vma->vm_end : end,
				    &queue_pages_walk_ops, &qp))
			return -EIO;
	}
	return qp.nr_failed;
}

struct page *alloc_migration_target_by_mpol(struct machine *m, struct page *src, void *private)
{
	struct mempolicy pol = *(const struct mempolicy *)private;

	if (pol.mode == MPOL_DEFAULT)
		pol.mode = MPOL_LOCAL;
	return alloc_pages_mpol(m, GFP_HIGHUSER_MOVABLE, 0, &pol, src->index, m->cpu_to_node[m->this_cpu]);
}

/* migrate_to_node: every page of the mm on source that may move, to dest; the number that did not
 * (or -ENOMEM). */
static long migrate_to_node(struct mm_struct *mm, int source, int dest, unsigned long flags)
{
	struct migration_target_control mtc = { .nid = dest, .gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE };
	struct list_head pagelist = LIST_HEAD_INIT(pagelist);
	long nr_failed = queue_pages_range(mm, 0, ~0UL, (nodemask_t){ 1UL << source }, flags, &pagelist);
	unsigned int nr_succeeded;
	int err = 0;

	if (!list_empty(&pagelist))
		err = migrate_pages(mm->machine, &pagelist, alloc_migration_target, free_migration_target, &mtc,
				    &nr_succeeded);
	putback_movable_pages(mm->machine, &pagelist);
	return err < 0 ? err : err + nr_failed;
}

/* node_remap: the node of to in the place oldnode holds in from (its n-th set bit to the (n mod
 * weight(to))-th), as bitmap_remap does for one bit. */
static int node_remap(int oldnode, nodemask_t from, nodemask_t to)
{
	int n = __builtin_popcountl(from.bits & ((1UL << oldnode) - 1)), w = __builtin_popcountl(to.bits), nid;

	if (!w)
		return oldnode;
	nid = first_node(to);
	for (n %= w; n; n--)
		nid = next_node(nid, to);
	return nid;
}

/* do_migrate_pages: node by node, pages move from each node of from to the node of to in the same
 * place, a node whose target is still to be emptied waiting for it (so 0,1 -> 1,2 moves 1 to 2
 * first, then 0 to 1). The number of pages that could not move, or -ENOMEM. */
static long do_migrate_pages(struct mm_struct *mm, nodemask_t from, nodemask_t to, unsigned long flags)
{
	nodemask_t tmp = from;
	long busy = 0;

	while (tmp.bits) {
		int source = NUMA_NO_NODE, dest = 0;
		long err;

		for (int s = first_node(tmp); s < MAX_NUMNODES; s = next_node(s, tmp)) {
			int d;

			if (__builtin_popcountl(from.bits) != __builtin_popcountl(to.bits) && ((to.bits >> s) & 1))
				continue;
			d = node_remap(s, from, to);
			if (s == d)
				continue;
			source = s;
			dest = d;
			if (!((tmp.bits >> dest) & 1))
				break;
		}
		if (source == NUMA_NO_NODE)
			break;
		tmp.bits &= ~(1UL << source);
		err = migrate_to_node(mm, source, dest, flags);
		if (err < 0)
			return err;
		busy += err;
	}
	return busy;
}

long sys_migrate_pages(struct task_struct *tsk, unsigned long maxnode, const unsigned long *old_nodes,
		       const unsigned long *new_nodes)
{
	nodemask_t old, new, memory = node_states_memory(tsk->mm->machine);
	int err;

	if ((err = get_nodes(&old, old_nodes, maxnode)) || (err = get_nodes(&new, new_nodes, maxnode)))
		return err;
	if ((new.bits & ~memory.bits) && !capable(tsk, CAP_SYS_NICE))
		return -EPERM;
	new.bits &= memory.bits;
	if (!new.bits)
		return 0;
	return do_migrate_pages(tsk->mm, old, new, capable(tsk, CAP_SYS_NICE) ? MPOL_MF_MOVE_ALL : MPOL_MF_MOVE);
}

/* ---- NUMA balancing's policy side ---- */

long change_prot_numa(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	long nr_updated = change_protection(vma, start, end, MM_CP_PROT_NUMA);

	if (nr_updated > 0)
		count_vm_events(vma->vm_mm->machine, NUMA_PTE_UPDATES, (unsigned long)nr_updated);
	return nr_updated;
}

int mpol_misplaced(struct page *page, struct vm_area_struct *vma, int this_cpu)
{
	struct machine *m = vma->vm_mm->machine;
	struct task_struct *p = vma->vm_mm->owner;
	int thisnid = m->cpu_to_node[this_cpu];

	/* only the default policy (preferred_node_policy: MPOL_F_MOF | MPOL_F_MORON) migrates on fault */
	if (!p || vma_policy_or_task(vma, p)->mode != MPOL_DEFAULT)
		return NUMA_NO_NODE;
	if (!should_numa_migrate_memory(m, p, page_folio(page), this_cpu))
		return NUMA_NO_NODE;
	return page_to_nid(page) != thisnid ? thisnid : NUMA_NO_NODE;
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

/* numa_access_consistent: the cost numa_account_access charged: 10 a local byte, a remote one between
 * the nearest and the farthest other node's distance. */
static bool numa_access_consistent(const struct machine *m, const struct task_struct *tsk)
{
	unsigned long near = ~0UL, far = 0, remote_cost = tsk->numa_access_cost - 10 * tsk->numa_bytes_local;

	for (int a = 0; a < m->nr_node_ids; a++)
		for (int b = 0; b < m->nr_node_ids; b++) {
			unsigned long d = (unsigned long)node_distance(m, a, b);

			if (a != b && d != 10) {
				near = d < near ? d : near;
				far = d > far ? d : far;
			}
		}
	if (tsk->numa_access_cost < 10 * tsk->numa_bytes_local)
		return false;
	return !tsk->numa_bytes_remote ? !remote_cost
				       : remote_cost >= near * tsk->numa_bytes_remote && remote_cost <= far * tsk->numa_bytes_remote;
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
		if (!numa_access_consistent(m, tsk))
			check_report(report, &errors, "%s[%d]: %lu bytes local and %lu remote cannot cost %lu by distance",
				     tsk->comm, tsk->pid, tsk->numa_bytes_local, tsk->numa_bytes_remote,
				     tsk->numa_access_cost);
		if (tsk->mm->numa_scan_offset > tsk->mm->task_size)
			check_report(report, &errors, "%s[%d]: the NUMA scan resumes at %#lx, above TASK_SIZE", tsk->comm,
				     tsk->pid, tsk->mm->numa_scan_offset);
		for (struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next)
			if (mpol_check(m, &vma->vm_policy))
				check_report(report, &errors, "%s[%d]: VMA %lx-%lx has policy mode %u nodes %#lx, not one mbind makes",
					     tsk->comm, tsk->pid, vma->vm_start, vma->vm_end, vma->vm_policy.mode,
					     vma->vm_policy.nodes.bits);
	}
	return errors;
}
