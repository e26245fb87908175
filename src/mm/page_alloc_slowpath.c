/*
 * The allocator's slow path (mm/page_alloc.c __alloc_pages_slowpath and its helpers).
 *
 * __alloc_pages comes here when no zone of the zonelist is above its low watermark. The slow path
 * wakes kswapd and kcompactd, retries at the min watermark with whatever reserves the caller may
 * use (gfp_to_alloc_flags), and, if the caller may sleep, reclaims and compacts directly, retrying
 * for as long as either makes progress (should_reclaim_retry, should_compact_retry). What still
 * fails is reported by warn_alloc.
 */
#include <mmlab/compaction.h>
#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "internal.h"

/* gfp_to_alloc_flags: how deep into the reserves the slow path may go (mm/page_alloc.c). */
static unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH is ALLOC_MIN_RESERVE and __GFP_KSWAPD_RECLAIM is ALLOC_KSWAPD, bit for bit. */
	alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_NON_BLOCK;
		if (order > 0)
			alloc_flags |= ALLOC_HIGHATOMIC;
		alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

__attribute__((cold, noinline))
static void dump_alloc_failure(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct seq_file s;

	seq_init(&s);
	seq_printf(&s, "%s: page allocation failure: order:%u, mode:%#x(", m->trace.comm, order, gfp);
	format_gfp_flags(&s, gfp);
	seq_printf(&s, "), nodemask=(null),cpuset=/,mems_allowed=0");
	if (m->nr_node_ids > 1)
		seq_printf(&s, "-%d", m->nr_node_ids - 1);
	seq_putc(&s, '\n');
	dump_stack_print_info(m, &s);
	seq_puts(&s, "Call Trace:\n <TASK>\n dump_stack_lvl\n warn_alloc\n __alloc_pages_slowpath\n"
		     " __alloc_frozen_pages_noprof\n </TASK>\n");
	/* warn_alloc_show_mem: the zones this request could have used. */
	__show_mem(m, &s, (int)gfp_zone(m, gfp));
	printk_lines(m, KERN_WARNING, s.buf);
	seq_release(&s);
}

/* warn_alloc: the kernel's report of a failed allocation, unless the caller said __GFP_NOWARN. */
__attribute__((cold, noinline))
void warn_alloc(struct machine *m, gfp_t gfp, unsigned int order)
{
	if (gfp & __GFP_NOWARN)
		return;
	dump_alloc_failure(m, gfp, order);
}

/* wake_all_kswapds: the kswapd of each node the allocation may use (mm/page_alloc.c). */
static void wake_all_kswapds(struct machine *m, gfp_t gfp, unsigned int order, struct alloc_context *ac)
{
	int last_nid = -1;

	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++)
		if (zref_allowed(ac, z) && z->zone->zone_pgdat->node_id != last_nid) {
			last_nid = z->zone->zone_pgdat->node_id;
			wakeup_kswapd(m, z->zone, gfp, order, ac->highest_zoneidx);
		}
}

/* __alloc_pages_direct_reclaim: reclaim, then try again; *progress: whether reclaim freed anything.
 * Pages reclaimed go to the per-CPU lists, which the watermark check does not count: they are
 * drained once reclaim made progress (mm/page_alloc.c). */
static struct page *__alloc_pages_direct_reclaim(struct machine *m, gfp_t gfp, unsigned int order,
						 unsigned int alloc_flags, struct alloc_context *ac, bool *progress)
{
	struct page *page;

	*progress = try_to_free_pages(m, gfp, order, ac->highest_zoneidx,
				      ac->preferred_zoneref->zone->zone_pgdat->node_id) != 0;
	if (!*progress)
		return NULL;
	page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (!page) {
		drain_all_pages(m);
		page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	}
	return page;
}

/* __alloc_pages_direct_compact: compact the zones (not reclaiming meanwhile, as PF_MEMALLOC), then
 * try the free lists again; compact_stall, then compact_success or compact_fail (mm/page_alloc.c). */
static struct page *__alloc_pages_direct_compact(struct machine *m, gfp_t gfp, unsigned int order,
						 unsigned int alloc_flags, struct alloc_context *ac,
						 enum compact_priority prio, enum compact_result *compact_result)
{
	struct page *page;

	*compact_result = COMPACT_SKIPPED;
	if (!order)
		return NULL;
	m->pf_memalloc++;
	*compact_result = try_to_compact_pages(m, gfp, order, alloc_flags, ac, prio);
	m->pf_memalloc--;
	if (*compact_result == COMPACT_SKIPPED)
		return NULL;
	count_vm_event(m, COMPACTSTALL);
	page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (page) {
		compaction_defer_reset(page_zone(m, page), (int)order, true);
		count_vm_event(m, COMPACTSUCCESS);
		return page;
	}
	count_vm_event(m, COMPACTFAIL);
	return NULL;
}

/* should_reclaim_retry: go round again while reclaim makes progress, or a zone's free pages meet
 * its min watermark again (a shrinker freed them: the deferred split queue's frees pages reclaim
 * does not count), MAX_RECLAIM_RETRIES times at most (mm/page_alloc.c; the kernel's check also
 * counts the reclaimable pages). */
static bool should_reclaim_retry(unsigned int order, unsigned int alloc_flags, const struct alloc_context *ac,
				 bool progress, int *reclaim_retries)
{
	bool freed = false;

	for (struct zoneref *z = ac->preferred_zoneref; z->zone && !progress && !freed; z++)
		freed = zone_watermark_ok(z->zone, order, min_wmark_pages(z->zone), (int)ac->highest_zoneidx,
					  alloc_flags);
	return (progress || freed) && ++*reclaim_retries < MAX_RECLAIM_RETRIES;
}

/* should_compact_retry: after reclaim made progress but compaction failed: retry while compaction
 * lacked free pages that reclaim can provide, a few times when it thought it had succeeded, and
 * with a higher priority (sync, then full sync for non-costly orders) until there is none left
 * (mm/page_alloc.c). */
static bool should_compact_retry(struct alloc_context *ac, unsigned int order, unsigned int alloc_flags,
				 enum compact_result compact_result, enum compact_priority *prio,
				 int *compaction_retries)
{
	int max_retries = MAX_COMPACT_RETRIES;
	enum compact_priority min_priority;

	if (!order)
		return false;
	if (compact_result == COMPACT_SKIPPED)
		return compaction_zonelist_suitable(ac, (int)order, alloc_flags);
	if (compact_result == COMPACT_SUCCESS) {
		if (order > PAGE_ALLOC_COSTLY_ORDER)
			max_retries /= 4;
		if (++*compaction_retries <= max_retries)
			return true;
	}
	min_priority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY;
	if (*prio > min_priority) {
		(*prio)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}

/* The retry loop of __alloc_pages_slowpath: direct reclaim, then direct compaction, again while
 * either may still help; __GFP_NORETRY tries once, a costly order without __GFP_RETRY_MAYFAIL too. */
static struct page *__alloc_pages_reclaim_compact(struct machine *m, gfp_t gfp, unsigned int order,
						  unsigned int alloc_flags, struct alloc_context *ac,
						  enum compact_priority prio)
{
	enum compact_result compact_result;
	int reclaim_retries = 0, compaction_retries = 0;
	struct page *page;
	bool progress;

	for (;;) {
		page = __alloc_pages_direct_reclaim(m, gfp, order, alloc_flags, ac, &progress);
		if (page)
			return page;
		page = __alloc_pages_direct_compact(m, gfp, order, alloc_flags, ac, prio, &compact_result);
		if (page || (gfp & __GFP_NORETRY))
			return page;
		if (order > PAGE_ALLOC_COSTLY_ORDER && !(gfp & __GFP_RETRY_MAYFAIL))
			return NULL;
		if (should_reclaim_retry(order, alloc_flags, ac, progress, &reclaim_retries)) {
			page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);	/* retry: */
			if (page)
				return page;
			continue;
		}
		if (!progress || !should_compact_retry(ac, order, alloc_flags, compact_result, &prio, &compaction_retries))
			return NULL;
	}
}

/* gfp_pfmemalloc_allowed: __GFP_MEMALLOC, or reclaim itself allocating (PF_MEMALLOC), may use
 * every reserve, unless __GFP_NOMEMALLOC forbids it. */
static bool gfp_pfmemalloc_allowed(const struct machine *m, gfp_t gfp)
{
	return !(gfp & __GFP_NOMEMALLOC) && ((gfp & __GFP_MEMALLOC) || m->pf_memalloc);
}

/* compact_first: costly orders compact before reclaiming, as there may be free pages enough, only
 * scattered; so do unmovable high orders, whose compaction keeps pageblocks unmixed; not callers
 * that may ignore the watermarks, which have not tried that yet (__alloc_pages_slowpath). */
static bool compact_first(const struct machine *m, gfp_t gfp, unsigned int order, const struct alloc_context *ac)
{
	return (gfp & __GFP_DIRECT_RECLAIM) && !m->pf_memalloc && !gfp_pfmemalloc_allowed(m, gfp) &&
	       (order > PAGE_ALLOC_COSTLY_ORDER || (order && ac->migratetype != MIGRATE_MOVABLE));
}

/*
 * __alloc_pages_slowpath: the fast path found every zone under its low watermark. Wake kswapd, retry
 * at the min watermark with the reserves this caller may use; compact first for costly orders; then
 * reclaim and compact directly if the caller may (and is not reclaim itself). The OOM killer is
 * called for a page fault's page, by the fault once it returns VM_FAULT_OOM (the kernel calls it
 * here, from __alloc_pages_may_oom), so a kernel allocation that fails, fails.
 */
__attribute__((cold, noinline))
struct page *__alloc_pages_slowpath(struct machine *m, gfp_t gfp, unsigned int order,
					   struct alloc_context *ac)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp, order);
	enum compact_priority compact_priority = DEF_COMPACT_PRIORITY;
	enum compact_result compact_result;
	struct page *page;

	/* The kernel wakes kcompactd from wakeup_kswapd, on a node with enough free memory. */
	if (order && (alloc_flags & ALLOC_KSWAPD))
		wakeup_kcompactd(ac->preferred_zoneref->zone->zone_pgdat, (int)order, (int)ac->highest_zoneidx);
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(m, gfp, order, ac);
	page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (!page && compact_first(m, gfp, order, ac)) {
		page = __alloc_pages_direct_compact(m, gfp, order, alloc_flags, ac, INIT_COMPACT_PRIORITY,
						    &compact_result);
		/* A costly __GFP_NORETRY request (a THP fault) gives up when compaction cannot help soon,
		 * and stays with async compaction otherwise. */
		if (!page && order > PAGE_ALLOC_COSTLY_ORDER && (gfp & __GFP_NORETRY)) {
			if (compact_result == COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED)
				goto nopage;
			compact_priority = INIT_COMPACT_PRIORITY;
		}
	}
	if (!page && (gfp & __GFP_DIRECT_RECLAIM) && !m->pf_memalloc)
		page = __alloc_pages_reclaim_compact(m, gfp, order, alloc_flags, ac, compact_priority);
	if (!page && gfp_pfmemalloc_allowed(m, gfp))
		page = get_page_from_freelist(m, gfp, order, ALLOC_NO_WATERMARKS, ac);
nopage:
	if (!page)
		warn_alloc(m, gfp, order);
	return page;
}
