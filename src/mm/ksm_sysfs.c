/*
 * KSM's files and its invariant check: /sys/kernel/mm/ksm/ (the sysfs half of mm/ksm.c),
 * /proc/PID/ksm_stat and /proc/PID/ksm_merging_pages (fs/proc/base.c), and ksm_check, which
 * machine_check runs: the trees, the rmap_items and every counter against the pages and PTEs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"
#include "mm/ksm_internal.h"

/* ---- /sys/kernel/mm/ksm ---- */

/* kstrtoul in base 10 of a sysfs write (one trailing newline allowed), at most max. */
static int ksm_kstrtoul(const char *text, size_t len, unsigned long max, unsigned long *res)
{
	char buf[32], *end;

	if (sysfs_text_copy(text, len, buf, sizeof(buf)) || !buf[0] || buf[0] == '-')
		return -EINVAL;
	*res = strtoul(buf, &end, 10);
	return *end || *res > max ? -EINVAL : 0;
}

/* general_profit / ksm_process_profit: the pages merging saves, less the rmap_items' memory. */
static long ksm_profit(unsigned long sharing, long zero_pages, unsigned long rmap_items)
{
	return (long)(sharing + (unsigned long)zero_pages) * (long)PAGE_SIZE -
	       (long)(rmap_items * sizeof(struct ksm_rmap_item));
}

static long pages_volatile(const struct ksm_state *ksm)
{
	long v = (long)(ksm->rmap_items - ksm->pages_shared - ksm->pages_sharing - ksm->pages_unshared);

	return v < 0 ? 0 : v;
}

/* The read-only counters, by file name. */
static bool ksm_counter(const struct ksm_state *ksm, const char *name, long *val)
{
	const struct {
		const char *name;
		long val;
	} counters[] = {
		{ "pages_shared", (long)ksm->pages_shared },
		{ "pages_sharing", (long)ksm->pages_sharing },
		{ "pages_unshared", (long)ksm->pages_unshared },
		{ "pages_volatile", pages_volatile(ksm) },
		{ "pages_skipped", (long)ksm->pages_skipped },
		{ "pages_scanned", (long)ksm->pages_scanned },
		{ "full_scans", (long)ksm->scan.seqnr },
		{ "stable_node_chains", (long)ksm->stable_node_chains },
		{ "stable_node_dups", (long)ksm->stable_node_dups },
		{ "ksm_zero_pages", ksm->zero_pages },
		{ "general_profit", ksm_profit(ksm->pages_sharing, ksm->zero_pages, ksm->rmap_items) },
	};

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		if (!strcmp(name, counters[i].name)) {
			*val = counters[i].val;
			return true;
		}
	return false;
}

/* The numeric tunables: where each lives, its limits. */
struct ksm_tunable {
	const char *name;
	size_t off;		/* in struct ksm_state */
	size_t size;		/* sizeof the field */
	unsigned long min, max;
};

#define KSM_TUNABLE(field, lo, hi) \
	{ #field, offsetof(struct ksm_state, field), sizeof(((struct ksm_state *)0)->field), lo, hi }

static const struct ksm_tunable ksm_tunables[] = {
	KSM_TUNABLE(pages_to_scan, 0, 4294967295UL),
	KSM_TUNABLE(sleep_millisecs, 0, 4294967295UL),
	KSM_TUNABLE(stable_node_chains_prune_millisecs, 0, 2147483647UL),
	KSM_TUNABLE(advisor_max_cpu, 0, ~0UL),
	KSM_TUNABLE(advisor_min_pages_to_scan, 0, ~0UL),
	KSM_TUNABLE(advisor_max_pages_to_scan, 0, ~0UL),
	KSM_TUNABLE(advisor_target_scan_time, 1, ~0UL),
};

static const struct ksm_tunable *ksm_tunable(const char *name)
{
	for (size_t i = 0; i < sizeof(ksm_tunables) / sizeof(ksm_tunables[0]); i++)
		if (!strcmp(name, ksm_tunables[i].name))
			return &ksm_tunables[i];
	return NULL;
}

static unsigned long tunable_get(const struct ksm_state *ksm, const struct ksm_tunable *t)
{
	const char *p = (const char *)ksm + t->off;

	return t->size == sizeof(unsigned long) ? *(const unsigned long *)p : *(const unsigned int *)p;
}

static void tunable_set(struct ksm_state *ksm, const struct ksm_tunable *t, unsigned long val)
{
	char *p = (char *)ksm + t->off;

	if (t->size == sizeof(unsigned long))
		*(unsigned long *)p = val;
	else
		*(unsigned int *)p = (unsigned int)val;
}

static bool ksm_sysfs_lookup(struct machine *m, const char *arg)
{
	static const char *const others[] = { "run", "max_page_sharing", "merge_across_nodes", "use_zero_pages",
					       "smart_scan", "advisor_mode" };
	long val;

	if (ksm_counter(m->ksm, arg, &val) || ksm_tunable(arg))
		return true;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (!strcmp(arg, others[i]))
			return true;
	return false;
}

static int ksm_sysfs_show(struct machine *m, struct seq_file *s, const char *arg)
{
	struct ksm_state *ksm = m->ksm;
	const struct ksm_tunable *t = ksm_tunable(arg);
	long val;

	if (ksm_counter(ksm, arg, &val))
		seq_printf(s, "%ld\n", val);
	else if (t)
		seq_printf(s, "%lu\n", tunable_get(ksm, t));
	else if (!strcmp(arg, "run"))
		seq_printf(s, "%lu\n", ksm->run);
	else if (!strcmp(arg, "max_page_sharing"))
		seq_printf(s, "%d\n", ksm->max_page_sharing);
	else if (!strcmp(arg, "merge_across_nodes"))
		seq_printf(s, "%u\n", ksm->merge_across_nodes);
	else if (!strcmp(arg, "use_zero_pages"))
		seq_printf(s, "%d\n", ksm->use_zero_pages);
	else if (!strcmp(arg, "smart_scan"))
		seq_printf(s, "%d\n", ksm->smart_scan);
	else
		seq_puts(s, "[none] scan-time\n");	/* advisor_mode */
	return 0;
}

/* max_page_sharing and merge_across_nodes change only with no KSM page: -EBUSY otherwise. */
static int ksm_set_tree_knob(struct machine *m, const char *arg, unsigned long knob)
{
	struct ksm_state *ksm = m->ksm;
	bool sharing = !strcmp(arg, "max_page_sharing");

	if (sharing ? (unsigned long)ksm->max_page_sharing == knob : ksm->merge_across_nodes == knob)
		return 0;
	if (ksm->pages_shared || remove_all_stable_nodes(m))
		return -EBUSY;
	if (sharing)
		ksm->max_page_sharing = (int)knob;
	else
		ksm->merge_across_nodes = (unsigned int)knob;
	return 0;
}

static int ksm_sysfs_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct ksm_state *ksm = m->ksm;
	const struct ksm_tunable *t = ksm_tunable(arg);
	unsigned long val;
	char buf[16];

	if (t) {
		if (ksm_kstrtoul(text, len, t->max, &val) || val < t->min)
			return -EINVAL;
		tunable_set(ksm, t, val);
		if (!strcmp(arg, "sleep_millisecs"))
			ksm_wake(m);	/* the sleep in progress is cut short */
		return 0;
	}
	if (!strcmp(arg, "use_zero_pages"))
		return kstrtobool_text(text, len, &ksm->use_zero_pages);
	if (!strcmp(arg, "smart_scan"))
		return kstrtobool_text(text, len, &ksm->smart_scan);
	if (!strcmp(arg, "advisor_mode")) {	/* the scan-time advisor is not modelled */
		return sysfs_text_copy(text, len, buf, sizeof(buf)) || strcmp(buf, "none") ? -EINVAL : 0;
	}
	if (!strcmp(arg, "run"))
		return ksm_kstrtoul(text, len, KSM_RUN_UNMERGE, &val) ? -EINVAL : ksm_set_run(m, val);
	if (!strcmp(arg, "max_page_sharing"))
		return ksm_kstrtoul(text, len, 2147483647UL, &val) || val < 2 ? -EINVAL : ksm_set_tree_knob(m, arg, val);
	if (!strcmp(arg, "merge_across_nodes"))
		return ksm_kstrtoul(text, len, 1, &val) ? -EINVAL : ksm_set_tree_knob(m, arg, val);
	return -EACCES;		/* a counter */
}

/* ---- /proc/PID/ksm_stat, /proc/PID/ksm_merging_pages ---- */

static bool ksm_task_lookup(struct machine *m, const char *arg)
{
	return find_task(m, arg) != NULL;
}

/* ksm_process_mergeable: some VMA of mm is VM_MERGEABLE. */
static bool ksm_process_mergeable(const struct mm_struct *mm)
{
	for (const struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
		if (vma->vm_flags & VM_MERGEABLE)
			return true;
	return false;
}

static int ksm_stat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	struct mm_struct *mm = find_task(m, arg)->mm;

	seq_printf(s, "ksm_rmap_items %lu\n", mm->ksm_rmap_items);
	seq_printf(s, "ksm_zero_pages %ld\n", mm->ksm_zero_pages);
	seq_printf(s, "ksm_merging_pages %lu\n", mm->ksm_merging_pages);
	seq_printf(s, "ksm_process_profit %ld\n", ksm_profit(mm->ksm_merging_pages, mm->ksm_zero_pages, mm->ksm_rmap_items));
	seq_puts(s, "ksm_merge_any: no\n");	/* prctl(PR_SET_MEMORY_MERGE) is not modelled */
	seq_printf(s, "ksm_mergeable: %s\n", ksm_process_mergeable(mm) ? "yes" : "no");
	return 0;
}

static int ksm_merging_pages_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%lu\n", find_task(m, arg)->mm->ksm_merging_pages);
	return 0;
}

const struct proc_entry ksm_proc_entries[] = {
	{ .path = "/sys/kernel/mm/ksm/*", .lookup = ksm_sysfs_lookup, .show = ksm_sysfs_show, .write = ksm_sysfs_store },
	{ .path = "/proc/*/ksm_stat", .lookup = ksm_task_lookup, .show = ksm_stat_show },
	{ .path = "/proc/*/ksm_merging_pages", .lookup = ksm_task_lookup, .show = ksm_merging_pages_show },
	{ .path = NULL },
};

/* ---- ksm_check ---- */

struct ksm_checker {
	struct machine *m;
	struct seq_file *report;
	int errors;
	unsigned long shared, sharing, chains, dups, nodes;
	struct mm_struct *mm;	/* of the walk */
	long zero_ptes;
};

#define ksm_violation(c, ...) check_report((c)->report, &(c)->errors, "ksm: " __VA_ARGS__)

/* One node with a page: the page points back, its items are listed from it and counted. */
static void check_stable_page_node(struct ksm_checker *c, struct ksm_stable_node *node, int nid)
{
	struct page *page = pfn_to_page(c->m, node->kpfn);
	struct ksm_rmap_item *item;
	int len = 0;

	c->nodes++;
	if (page_stable_node(page) != node || page_ref_count(page) <= 0)
		ksm_violation(c, "stable node of pfn %#lx: the page is not its KSM page", node->kpfn);
	if (node->nid != nid || (!c->m->ksm->merge_across_nodes && page_to_nid(page) != nid))
		ksm_violation(c, "stable node of pfn %#lx is in tree %d, its nid %d, its page on node %d", node->kpfn,
			      nid, node->nid, page_to_nid(page));
	list_for_each_entry(item, &node->hlist, hlist) {
		len++;
		if (!(item->address & STABLE_FLAG) || item->head != node)
			ksm_violation(c, "rmap_item %#lx of pfn %#lx's node does not point back", item->address,
				      node->kpfn);
	}
	if (len != node->rmap_hlist_len)
		ksm_violation(c, "stable node of pfn %#lx: rmap_hlist_len %d but %d rmap_items", node->kpfn,
			      node->rmap_hlist_len, len);
	if (len) {
		c->shared++;
		c->sharing += (unsigned long)len - 1;
	}
}

/* One tree entry: a node, or a chain of at least one dup. */
static void check_stable_entry(struct ksm_checker *c, struct ksm_stable_node *node, int nid)
{
	struct ksm_stable_node *dup;

	if (node->rmap_hlist_len != STABLE_NODE_CHAIN) {
		check_stable_page_node(c, node, nid);
		return;
	}
	c->chains++;
	if (list_empty(&node->hlist))
		ksm_violation(c, "an empty stable_node chain is in tree %d", nid);
	list_for_each_entry(dup, &node->hlist, hlist_dup) {
		c->dups++;
		if (dup->chain != node)
			ksm_violation(c, "dup of pfn %#lx does not point to its chain", dup->kpfn);
		check_stable_page_node(c, dup, nid);
	}
}

/* The content of a tree entry (any dup of a chain). */
static const void *entry_bytes(struct machine *m, struct ksm_stable_node *node)
{
	if (node->rmap_hlist_len == STABLE_NODE_CHAIN)
		node = list_entry(node->hlist.next, struct ksm_stable_node, hlist_dup);
	return kmap_local_page(m, pfn_to_page(m, node->kpfn));
}

static void check_stable_trees(struct ksm_checker *c)
{
	struct ksm_state *ksm = c->m->ksm;

	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct ksm_stable_node *prev = NULL;

		for (struct rb_node *n = rb_first(&ksm->root_stable_tree[nid]); n; n = rb_next(n)) {
			struct ksm_stable_node *node = rb_entry(n, struct ksm_stable_node, node);

			check_stable_entry(c, node, nid);
			if (prev && !(node->rmap_hlist_len == STABLE_NODE_CHAIN && list_empty(&node->hlist)) &&
			    !(prev->rmap_hlist_len == STABLE_NODE_CHAIN && list_empty(&prev->hlist)) &&
			    memcmp(entry_bytes(c->m, prev), entry_bytes(c->m, node), PAGE_SIZE) >= 0)
				ksm_violation(c, "stable tree %d is out of order (or holds one content twice)", nid);
			prev = node;
		}
	}
	if (c->shared != ksm->pages_shared || c->sharing != ksm->pages_sharing)
		ksm_violation(c, "pages_shared %lu pages_sharing %lu, but the trees hold %lu and %lu", ksm->pages_shared,
			      ksm->pages_sharing, c->shared, c->sharing);
	if (c->chains != ksm->stable_node_chains || c->dups != ksm->stable_node_dups)
		ksm_violation(c, "stable_node_chains %lu stable_node_dups %lu, but the trees hold %lu and %lu",
			      ksm->stable_node_chains, ksm->stable_node_dups, c->chains, c->dups);
}

/* Every page with a stable node is in a tree. */
static void check_ksm_pages(struct ksm_checker *c)
{
	unsigned long with_node = 0;

	for (unsigned long pfn = 0; pfn < c->m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(c->m, pfn);

		if (page_has_type(page) || page_ref_count(page) <= 0 || !PageKsm(page))
			continue;
		if (page_stable_node(page))
			with_node++;
		else if (page->_mapcount >= 0)
			ksm_violation(c, "pfn %#lx is a mapped KSM page without a stable node", pfn);
	}
	if (with_node != c->nodes)
		ksm_violation(c, "%lu KSM pages have stable nodes, the trees hold %lu", with_node, c->nodes);
}

/* A mm's rmap_items: sorted, its own, counted. */
static void check_slot(struct ksm_checker *c, struct ksm_mm_slot *slot, unsigned long *items, unsigned long *unstable)
{
	unsigned long n = 0, merging = 0, last = 0;

	for (struct ksm_rmap_item *item = slot->rmap_list; item; item = item->rmap_list) {
		if (item->mm != slot->mm || (n && (item->address & PAGE_MASK) <= last))
			ksm_violation(c, "rmap_item %#lx is out of its mm's list order", item->address);
		last = item->address & PAGE_MASK;
		n++;
		merging += (item->address & STABLE_FLAG) != 0;
		*unstable += (item->address & UNSTABLE_FLAG) != 0;
	}
	*items += n;
	if (n != slot->mm->ksm_rmap_items || merging != slot->mm->ksm_merging_pages)
		ksm_violation(c, "an mm has ksm_rmap_items %lu ksm_merging_pages %lu, but %lu and %lu listed",
			      slot->mm->ksm_rmap_items, slot->mm->ksm_merging_pages, n, merging);
}

static void check_slots(struct ksm_checker *c)
{
	struct ksm_state *ksm = c->m->ksm;
	struct ksm_mm_slot *slot;
	unsigned long items = 0, unstable = 0;

	list_for_each_entry(slot, &ksm->mm_head, mm_node) {
		if (slot->mm->ksm_slot != slot)
			ksm_violation(c, "an mm_slot's mm does not point back to it");
		check_slot(c, slot, &items, &unstable);
	}
	if (items != ksm->rmap_items || unstable != ksm->pages_unshared)
		ksm_violation(c, "rmap_items %lu pages_unshared %lu, but the mms list %lu and %lu unstable",
			      ksm->rmap_items, ksm->pages_unshared, items, unstable);
}

/* KSM zero pages are counted; a KSM page is never mapped writable. */
static int check_ksm_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct ksm_checker *c = walk->private;
	pteval_t v = ptep_get(pte);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);

	if (is_ksm_zero_pte(c->m, walk->mm, v))
		c->zero_ptes++;
	else if (!is_zero_pfn(c->m, pfn) && pfn_valid(c->m, pfn) && PageKsm(pfn_to_page(c->m, pfn)) && pte_write(v))
		ksm_violation(c, "%#lx maps KSM page pfn %#lx writable", addr, pfn);
	return 0;
}

static const struct mm_walk_ops ksm_check_ops = { .pte_entry = check_ksm_pte };

static void check_ptes(struct ksm_checker *c)
{
	struct task_struct *tsk;
	long total = 0;

	if (!c->m->tasks)
		return;
	list_for_each_entry(tsk, &c->m->tasks->tasks, tasks) {
		c->zero_ptes = 0;
		for (struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next)
			if (!(vma->vm_flags & VM_HUGETLB))
				walk_page_range(tsk->mm, vma->vm_start, vma->vm_end, &ksm_check_ops, c);
		if (c->zero_ptes != tsk->mm->ksm_zero_pages)
			ksm_violation(c, "%s[%d]: ksm_zero_pages %ld but %ld KSM zero PTEs", tsk->comm, tsk->pid,
				      tsk->mm->ksm_zero_pages, c->zero_ptes);
		total += c->zero_ptes;
	}
	if (total != c->m->ksm->zero_pages)
		ksm_violation(c, "ksm_zero_pages %ld but the processes map %ld", c->m->ksm->zero_pages, total);
}

int ksm_check(struct machine *m, struct seq_file *report)
{
	struct ksm_checker c = { .m = m, .report = report };

	check_stable_trees(&c);
	check_ksm_pages(&c);
	check_slots(&c);
	check_ptes(&c);
	return c.errors;
}
