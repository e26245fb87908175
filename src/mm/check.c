/*
 * The invariant checker: after any command, every page frame must be in exactly one state — free in
 * one buddy list, on one per-CPU list, reserved at boot, or allocated — and every counter must agree
 * with the lists. (The kernel checks pieces of this under CONFIG_DEBUG_VM; here it is checked whole.)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <mmlab/compaction.h>
#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/ksm.h>
#include <mmlab/kthread.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>
#include <mmlab/swap.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>
#include <mmlab/zram.h>
#include <mmlab/zswap.h>

#include "internal.h"

struct checker {
	struct machine *m;
	struct seq_file *report;
	int errors;
	unsigned char *seen;	/* per pfn of the zone: 1 when a free list or pcp list holds it */
};

#define violation(c, ...) check_report((c)->report, &(c)->errors, __VA_ARGS__)

void check_report(struct seq_file *report, int *errors, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seq_printf(report, "machine_check: %s\n", line);
	(*errors)++;
}

/* claim_pages: mark a block as held by a free structure; a page held twice is a violation. */
static void claim_pages(struct checker *c, struct zone *zone, unsigned long pfn, unsigned int order,
			const char *where)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		unsigned long idx = pfn + i - zone->zone_start_pfn;
		struct page *page = pfn_to_page(c->m, pfn + i);
		if (c->seen[idx])
			violation(c, "%s %s: pfn %#lx is on two free lists", zone->name, where, pfn + i);
		c->seen[idx] = 1;
		if (page_ref_count(page) != 0 || PageReserved(page))
			violation(c, "%s %s: pfn %#lx is free but has refcount %d%s", zone->name, where, pfn + i,
				  page_ref_count(page), PageReserved(page) ? " and is reserved" : "");
	}
}

static void check_free_block(struct checker *c, struct zone *zone, struct page *page, unsigned int order,
			     int mt)
{
	struct machine *m = c->m;
	unsigned long pfn = page_to_pfn(m, page);

	if (!zone_spans_pfn(zone, pfn) || !zone_spans_pfn(zone, pfn + (1UL << order) - 1)) {
		violation(c, "%s: free block at pfn %#lx order %u lies outside the zone", zone->name, pfn, order);
		return;
	}
	if (!PageBuddy(page) || buddy_order(page) != order)
		violation(c, "%s: pfn %#lx on the order-%u list is not a free block of that order", zone->name, pfn,
			  order);
	if (pfn & ((1UL << order) - 1))
		violation(c, "%s: free block at pfn %#lx is not aligned to its order %u", zone->name, pfn, order);
	if ((int)get_pfnblock_migratetype(m, zone, pfn) != mt)
		violation(c, "%s: free block at pfn %#lx is on the type-%d list of a type-%d pageblock", zone->name,
			  pfn, mt, get_pfnblock_migratetype(m, zone, pfn));
	claim_pages(c, zone, pfn, order, "buddy");

	/* Two free buddies of one order must have merged, unless their pageblock types keep them apart. */
	unsigned long bpfn = pfn ^ (1UL << order);
	if (order < MAX_PAGE_ORDER && zone_spans_pfn(zone, bpfn)) {
		struct page *buddy = pfn_to_page(m, bpfn);
		bool may_differ = order >= m->arch->pageblock_order &&
				  (int)get_pfnblock_migratetype(m, zone, bpfn) != mt;
		if (PageBuddy(buddy) && buddy_order(buddy) == order && !may_differ)
			violation(c, "%s: buddies at pfn %#lx and %#lx are both free at order %u", zone->name, pfn,
				  bpfn, order);
	}
}

/* Returns the number of free pages found on the zone's buddy lists. */
static unsigned long check_free_area(struct checker *c, struct zone *zone)
{
	unsigned long free_pages = 0, block_pages = 0;

	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long blocks = 0;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;
			list_for_each_entry(page, &zone->free_area[order].free_list[mt], lru) {
				check_free_block(c, zone, page, order, mt);
				blocks++;
				if (mt != MIGRATE_ISOLATE) {
					free_pages += 1UL << order;
					if (order >= c->m->arch->pageblock_order)
						block_pages += 1UL << order;
				}
			}
		}
		if (blocks != zone->free_area[order].nr_free)
			violation(c, "%s: order %u nr_free is %lu but the lists hold %lu blocks", zone->name, order,
				  zone->free_area[order].nr_free, blocks);
	}
	if (zone_page_state(zone, NR_FREE_PAGES_BLOCKS) != block_pages)
		violation(c, "%s: NR_FREE_PAGES_BLOCKS is %lu but blocks of a pageblock or more hold %lu", zone->name,
			  zone_page_state(zone, NR_FREE_PAGES_BLOCKS), block_pages);
	return free_pages;
}

static unsigned long check_pcp_lists(struct checker *c, struct zone *zone)
{
	unsigned long total = 0;

	for (int cpu = 0; cpu < c->m->nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		long count = 0;
		for (unsigned int pindex = 0; pindex < NR_PCP_LISTS; pindex++) {
			unsigned int order = pindex >= NR_LOWORDER_PCP_LISTS ? c->m->arch->pageblock_order
									     : pindex / MIGRATE_PCPTYPES;
			struct page *page;
			list_for_each_entry(page, &pcp->lists[pindex], pcp_list) {
				unsigned long pfn = page_to_pfn(c->m, page);
				if (!zone_spans_pfn(zone, pfn) || PageBuddy(page)) {
					violation(c, "%s cpu %d: pcp page pfn %#lx is not a cached free page", zone->name,
						  cpu, pfn);
					continue;
				}
				claim_pages(c, zone, pfn, order, "pcp");
				count += 1L << order;
			}
		}
		if (count != pcp->count)
			violation(c, "%s cpu %d: pcp count is %d but the lists hold %ld pages", zone->name, cpu,
				  pcp->count, count);
		total += (unsigned long)count;
	}
	return total;
}

/* Every page of the span not held by a free structure: reserved at boot, or allocated. */
static void check_zone_pages(struct checker *c, struct zone *zone, unsigned long free_pages, unsigned long pcp)
{
	unsigned long reserved = 0, allocated = 0;

	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
		struct page *page = pfn_to_page(c->m, pfn);
		if (c->seen[pfn - zone->zone_start_pfn])
			continue;
		if (PageBuddy(page))
			violation(c, "%s: pfn %#lx is marked free but is on no list", zone->name, pfn);
		if (page_ref_count(page) < 0)
			violation(c, "%s: pfn %#lx has a negative refcount %d", zone->name, pfn, page_ref_count(page));
		if (PageReserved(page))
			reserved++;
		else
			allocated++;
	}
	/* Holes are reserved too: what is reserved in the span is its holes plus what boot kept. */
	unsigned long expect_reserved = zone->spanned_pages - zone->managed_pages;
	if (reserved != expect_reserved)
		violation(c, "%s: %lu pages are reserved but spanned - managed is %lu", zone->name, reserved,
			  expect_reserved);
	if (free_pages + pcp + allocated != zone->managed_pages)
		violation(c, "%s: free %lu + per-cpu %lu + allocated %lu != managed %lu", zone->name, free_pages, pcp,
			  allocated, zone->managed_pages);
	if (zone_page_state(zone, NR_FREE_PAGES) != free_pages)
		violation(c, "%s: NR_FREE_PAGES is %lu but the buddy lists hold %lu", zone->name,
			  zone_page_state(zone, NR_FREE_PAGES), free_pages);
}

/* Isolation (alloc_contig_range) never outlives the command that made it. */
static void check_pageblocks(struct checker *c, struct zone *zone)
{
	unsigned long base = zone->zone_start_pfn & ~(pageblock_nr_pages(c->m) - 1);

	for (unsigned long i = 0; i < zone_nr_pageblocks(c->m, zone); i++)
		if (zone->pageblock_flags[i] == MIGRATE_ISOLATE)
			violation(c, "%s: the pageblock at pfn %#lx is still isolated", zone->name,
				  base + (i << c->m->arch->pageblock_order));
}

/* Compaction deferral stays within its bounds (mm/compaction.c defer_compaction). */
static void check_compact_defer(struct checker *c, struct zone *zone)
{
	if (zone->compact_defer_shift > COMPACT_MAX_DEFER_SHIFT ||
	    zone->compact_considered > 1U << zone->compact_defer_shift)
		violation(c, "%s: compaction deferral considered %u of a limit %u (defer shift %u)", zone->name,
			  zone->compact_considered, 1U << zone->compact_defer_shift, zone->compact_defer_shift);
	if (zone->compact_order_failed < 0 || zone->compact_order_failed > NR_PAGE_ORDERS)
		violation(c, "%s: compact_order_failed %d is no order", zone->name, zone->compact_order_failed);
}

static void check_zone(struct checker *c, struct zone *zone)
{
	check_compact_defer(c, zone);
	c->seen = calloc(zone->spanned_pages, 1);
	if (!c->seen) {
		violation(c, "%s: host out of memory for the check", zone->name);
		return;
	}
	unsigned long free_pages = check_free_area(c, zone);
	unsigned long pcp = check_pcp_lists(c, zone);
	check_zone_pages(c, zone, free_pages, pcp);
	check_pageblocks(c, zone);
	free(c->seen);
	c->seen = NULL;
}

/* The machine-wide sums must equal the per-zone and per-node counters they sum. */
static void check_counters(struct checker *c)
{
	struct machine *m = c->m;
	unsigned long managed = 0;
	long zone_sum[NR_VM_ZONE_STAT_ITEMS] = { 0 }, node_sum[NR_VM_NODE_STAT_ITEMS] = { 0 };

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			managed += pgdat->node_zones[z].managed_pages;
			for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
				zone_sum[i] += pgdat->node_zones[z].vm_stat[i];
		}
		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			node_sum[i] += pgdat->vm_stat[i];
	}
	if (managed != m->totalram_pages)
		violation(c, "totalram_pages is %lu but the zones manage %lu", m->totalram_pages, managed);
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (zone_sum[i] != m->vm_zone_stat[i])
			violation(c, "zone counter %s: machine total %ld != sum of zones %ld", vmstat_text[i],
				  m->vm_zone_stat[i], zone_sum[i]);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (node_sum[i] != m->vm_node_stat[i])
			violation(c, "node counter %s: machine total %ld != sum of nodes %ld",
				  vmstat_text[NR_VM_ZONE_STAT_ITEMS + NR_VM_NUMA_EVENT_ITEMS + i], m->vm_node_stat[i],
				  node_sum[i]);
}

/* A pid handed out once: above kthreadd's, at most the last one, and no other task or kernel thread
 * has it. */
static void check_pid(struct checker *c, int pid, const char *comm, int *pids, size_t *n)
{
	if (pid <= KTHREADD_PID || pid > c->m->last_pid)
		violation(c, "%s has pid %d, outside %d..%d", comm, pid, KTHREADD_PID + 1, c->m->last_pid);
	for (size_t i = 0; i < *n; i++)
		if (pids[i] == pid)
			violation(c, "pid %d of %s is used twice", pid, comm);
	pids[(*n)++] = pid;
}

/* Each VMA's anon_vma is one it is linked to (its own, or a neighbour's it shares:
 * find_mergeable_anon_vma), and its chain's links name it; a VMA with links has an anon_vma. */
static void check_anon_vmas(struct checker *c, const struct task_struct *tsk)
{
	for (const struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next) {
		const struct anon_vma_chain *avc;
		bool linked = false;

		list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
			if (avc->vma != vma)
				violation(c, "%s: VMA %lx: a link of its chain names another VMA", tsk->comm, vma->vm_start);
			linked |= avc->anon_vma == vma->anon_vma;
		}
		if (vma->anon_vma ? !linked : !list_empty(&vma->anon_vma_chain))
			violation(c, "%s: VMA %lx: its anon_vma is not among its chain's", tsk->comm, vma->vm_start);
	}
}

/* The tasks and kernel threads: pids unique, each task's soft limits within its hard ones, its VMAs'
 * anon_vmas linked. */
static void check_tasks(struct checker *c)
{
	struct machine *m = c->m;
	size_t n = 0, max = 0;
	struct task_struct *tsk;
	int *pids;

	for (struct kthread *k = m->kthreads; k; k = k->next)
		max++;
	if (m->tasks)
		list_for_each_entry(tsk, &m->tasks->tasks, tasks)
			max++;
	pids = calloc(max + 1, sizeof(*pids));
	if (!pids)
		return;
	for (struct kthread *k = m->kthreads; k; k = k->next)
		check_pid(c, k->pid, k->comm, pids, &n);
	if (m->tasks)
		list_for_each_entry(tsk, &m->tasks->tasks, tasks) {
			check_pid(c, tsk->pid, tsk->comm, pids, &n);
			check_anon_vmas(c, tsk);
			for (int i = 0; i < RLIM_NLIMITS; i++)
				if (tsk->rlim[i].rlim_cur > tsk->rlim[i].rlim_max)
					violation(c, "%s: limit %d soft %lu above hard %lu", tsk->comm, i, tsk->rlim[i].rlim_cur,
						  tsk->rlim[i].rlim_max);
		}
	free(pids);
}

int machine_check(struct machine *m, struct seq_file *report)
{
	struct checker c = { .m = m, .report = report };

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&NODE_DATA(m, nid)->node_zones[z]))
				check_zone(&c, &NODE_DATA(m, nid)->node_zones[z]);
	check_counters(&c);
	check_tasks(&c);
	return c.errors + slab_check(m, report) + zram_check(m, report) + page_table_check(m, report) +
	       swap_check(m, report) + lru_check(m, report) + zswap_check(m, report) + filemap_check(m, report) +
	       workingset_check(m, report) + hugetlb_check(m, report) + ksm_check(m, report) +
	       deferred_split_check(m, report) + mempolicy_check(m, report);
}
