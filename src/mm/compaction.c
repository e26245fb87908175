/*
 * Memory compaction (mm/compaction.c). The migration scanner walks a zone up from its start,
 * isolating movable pages a cluster at a time; the free scanner walks down from its end, isolating
 * free pages of movable pageblocks as migration targets; migrate_pages moves the data up. When the
 * scanners meet, the bottom of the zone holds the free memory, in large blocks, and the unmovable
 * pages stay where they were. A run for an allocation stops as soon as a free block of its order
 * exists. The machine keeps no cached scanner positions or skip bits: every run scans the whole zone
 * from its ends. Direct compaction (try_to_compact_pages) runs in the allocator's slow path; a zone
 * where it failed is skipped by the next 1, 2, 4 .. 64 attempts (defer_compaction).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <mmlab/compaction.h>
#include <mmlab/kthread.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

typedef enum {
	ISOLATE_NONE,		/* no page isolated: go on to the next pageblock */
	ISOLATE_SUCCESS,	/* pages isolated: migrate them */
} isolate_migrate_t;

static unsigned long pageblock_start_pfn(const struct machine *m, unsigned long pfn)
{
	return pfn & ~(pageblock_nr_pages(m) - 1);
}

static unsigned long pageblock_end_pfn(const struct machine *m, unsigned long pfn)
{
	return pageblock_start_pfn(m, pfn) + pageblock_nr_pages(m);
}

/* compact_gap: the free pages compaction needs beyond the watermark: the pages of the wanted order
 * being migrated and their targets (mm/internal.h). */
static unsigned long compact_gap(unsigned int order)
{
	return 2UL << order;
}

/* The names tracepoints print for a result (include/trace/events/mmflags.h COMPACTION_STATUS). */
static const char *const compaction_status_string[] = {
	[COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone",
	[COMPACT_SKIPPED] = "skipped",
	[COMPACT_DEFERRED] = "deferred",
	[COMPACT_CONTINUE] = "continue",
	[COMPACT_COMPLETE] = "complete",
	[COMPACT_CONTENDED] = "contended",
	[COMPACT_SUCCESS] = "success",
};

/* mm_compaction_suitable and mm_compaction_finished (mm_compaction_suitable_template). */
static void trace_compaction_status(struct zone *zone, enum trace_event_id id, int order, enum compact_result ret)
{
	trace_emit(zone_machine(zone), id, "node=%d zone=%-8s order=%d ret=%s", zone->zone_pgdat->node_id,
		   zone->name, order, compaction_status_string[ret]);
}

/* mm_compaction_deferred, mm_compaction_defer_compaction, mm_compaction_defer_reset
 * (mm_compaction_defer_template). */
static void trace_compaction_defer(struct zone *zone, enum trace_event_id id, int order)
{
	trace_emit(zone_machine(zone), id, "node=%d zone=%-8s order=%d order_failed=%d consider=%u limit=%lu",
		   zone->zone_pgdat->node_id, zone->name, order, zone->compact_order_failed,
		   zone->compact_considered, 1UL << zone->compact_defer_shift);
}

/* defer_compaction: compaction for order failed in zone: skip it for twice as many attempts as
 * before, up to 1 << COMPACT_MAX_DEFER_SHIFT, for this order and above (mm/compaction.c). */
static void defer_compaction(struct zone *zone, int order)
{
	zone->compact_considered = 0;
	if (zone->compact_defer_shift < COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift++;
	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;
	if (trace_enabled(zone_machine(zone), mm_compaction_defer_compaction))
		trace_compaction_defer(zone, TP_mm_compaction_defer_compaction, order);
}

/* compaction_deferred: should this attempt skip the zone? Counts the attempt (mm/compaction.c). */
static bool compaction_deferred(struct zone *zone, int order)
{
	unsigned int defer_limit = 1U << zone->compact_defer_shift;

	if (order < zone->compact_order_failed)
		return false;
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = defer_limit;
		return false;
	}
	if (trace_enabled(zone_machine(zone), mm_compaction_deferred))
		trace_compaction_defer(zone, TP_mm_compaction_deferred, order);
	return true;
}

void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if (order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;
	if (trace_enabled(zone_machine(zone), mm_compaction_defer_reset))
		trace_compaction_defer(zone, TP_mm_compaction_defer_reset, order);
}

/* pageblock_pfn_to_page: [start, end) lies in the zone, holes excepted; NULL if not (mm/compaction.c). */
static struct page *pageblock_pfn_to_page(struct machine *m, struct zone *zone, unsigned long start,
					  unsigned long end)
{
	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1) ||
	    page_zone(m, pfn_to_page(m, start)) != zone || page_zone(m, pfn_to_page(m, end - 1)) != zone)
		return NULL;
	return pfn_to_page(m, start);
}

/* __compaction_suitable: with free_pages free, order-0 pages above the watermark plus the gap, so
 * that free pages can be isolated as targets (mm/compaction.c). */
static bool __compaction_suitable(struct zone *zone, int order, unsigned long watermark, int highest_zoneidx,
				  unsigned long free_pages)
{
	return __zone_watermark_ok(zone, 0, watermark + compact_gap((unsigned int)order), highest_zoneidx, ALLOC_CMA,
				   (long)free_pages);
}

/* The watermark compaction must leave free: low for costly orders, min otherwise. */
static unsigned long compaction_wmark(struct zone *zone, int order)
{
	return order > PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(zone) : min_wmark_pages(zone);
}

bool compaction_suitable(struct zone *zone, int order, int highest_zoneidx)
{
	enum compact_result result = COMPACT_CONTINUE;

	if (!__compaction_suitable(zone, order, compaction_wmark(zone, order), highest_zoneidx,
				   zone_page_state(zone, NR_FREE_PAGES))) {
		result = COMPACT_SKIPPED;
	} else if (order > PAGE_ALLOC_COSTLY_ORDER) {
		/* For costly orders, a failure due to lack of memory rather than fragmentation is left
		 * to reclaim. */
		int fragindex = fragmentation_index(zone, (unsigned int)order);

		if (fragindex >= 0 && fragindex <= zone_machine(zone)->sysctl.extfrag_threshold)
			result = COMPACT_NOT_SUITABLE_ZONE;
	}
	if (trace_enabled(zone_machine(zone), mm_compaction_suitable))
		trace_compaction_status(zone, TP_mm_compaction_suitable, order, result);
	return result == COMPACT_CONTINUE;
}

bool compaction_zonelist_suitable(const struct alloc_context *ac, int order, unsigned int alloc_flags)
{
	(void)alloc_flags;
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		/* Only a share of the reclaimable pages: not all would be reclaimed for one allocation. */
		unsigned long available = zone_reclaimable_pages(z->zone) / (unsigned long)order +
					  zone_page_state(z->zone, NR_FREE_PAGES);

		if (zref_allowed(ac, z) &&
		    __compaction_suitable(z->zone, order, min_wmark_pages(z->zone), (int)ac->highest_zoneidx, available))
			return true;
	}
	return false;
}

/* compaction_suit_allocation_order: COMPACT_SUCCESS if the allocation would succeed already,
 * COMPACT_SKIPPED if compaction cannot help, else COMPACT_CONTINUE (mm/compaction.c). */
static enum compact_result compaction_suit_allocation_order(struct zone *zone, int order, int highest_zoneidx,
							    unsigned int alloc_flags)
{
	if (zone_watermark_ok(zone, (unsigned int)order, wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK),
			      highest_zoneidx, alloc_flags))
		return COMPACT_SUCCESS;
	if (!compaction_suitable(zone, order, highest_zoneidx))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

/* suitable_migration_source: async compaction takes pages only from pageblocks of the allocation's
 * kind; the synchronous modes from any (mm/compaction.c). */
static bool suitable_migration_source(struct machine *m, struct compact_control *cc, unsigned long pfn)
{
	enum migratetype block_mt = get_pfnblock_migratetype(m, cc->zone, pfn);

	return cc->mode != MIGRATE_ASYNC || block_mt == cc->migratetype;
}

/* suitable_migration_target: free pages are taken from movable pageblocks, never by breaking up a
 * free pageblock (mm/compaction.c). */
static bool suitable_migration_target(struct machine *m, struct compact_control *cc, unsigned long pfn)
{
	struct page *page = pfn_to_page(m, pfn);

	if (PageBuddy(page) && buddy_order(page) >= m->arch->pageblock_order)
		return false;
	return get_pfnblock_migratetype(m, cc->zone, pfn) == MIGRATE_MOVABLE;
}

/* isolate_migratepages_block: isolate the movable pages of [low_pfn, end_pfn), up to a cluster;
 * free blocks are stepped over whole (mm/compaction.c). */
static void isolate_migratepages_block(struct machine *m, struct compact_control *cc, unsigned long low_pfn,
				       unsigned long end_pfn)
{
	unsigned long nr_scanned = 0, nr_isolated = 0, start_pfn = low_pfn;

	for (; low_pfn < end_pfn; low_pfn++) {
		struct page *page = pfn_to_page(m, low_pfn);

		nr_scanned++;
		if (PageBuddy(page)) {
			unsigned long skip = (1UL << buddy_order(page)) - 1;

			low_pfn += skip;
			nr_scanned += skip;
			continue;
		}
		if (!isolate_movable_page(m, page))
			continue;
		list_add(&page->lru, &cc->migratepages);
		cc->nr_migratepages++;
		nr_isolated++;
		if (cc->nr_migratepages == COMPACT_CLUSTER_MAX) {
			low_pfn++;
			break;
		}
	}
	if (low_pfn > end_pfn)
		low_pfn = end_pfn;
	if (trace_enabled(m, mm_compaction_isolate_migratepages))
		trace_emit(m, TP_mm_compaction_isolate_migratepages, "range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu",
			   start_pfn, low_pfn, nr_scanned, nr_isolated);
	cc->total_migrate_scanned += nr_scanned;
	count_vm_events(m, COMPACTISOLATED, nr_isolated);
	cc->migrate_pfn = low_pfn;
}

/* isolate_migratepages: the next pageblock below the free scanner that pages may be taken from
 * (mm/compaction.c). */
static isolate_migrate_t isolate_migratepages(struct machine *m, struct compact_control *cc)
{
	unsigned long nr = pageblock_nr_pages(m), low_pfn = cc->migrate_pfn;
	unsigned long block_start_pfn = pageblock_start_pfn(m, low_pfn), block_end_pfn = block_start_pfn + nr;

	if (block_start_pfn < cc->zone->zone_start_pfn)
		block_start_pfn = cc->zone->zone_start_pfn;
	for (; block_end_pfn <= cc->free_pfn; cc->migrate_pfn = low_pfn = block_end_pfn,
	     block_start_pfn = block_end_pfn, block_end_pfn += nr) {
		if (!pageblock_pfn_to_page(m, cc->zone, block_start_pfn, block_end_pfn) ||
		    !suitable_migration_source(m, cc, block_start_pfn))
			continue;
		isolate_migratepages_block(m, cc, low_pfn, block_end_pfn);
		break;
	}
	return cc->nr_migratepages ? ISOLATE_SUCCESS : ISOLATE_NONE;
}

/* split_free_block: an isolated free block becomes 2^order order-0 targets (split_page). */
static void split_free_block(struct compact_control *cc, struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		list_add_tail(&page[i].lru, &cc->freepages);
	cc->nr_freepages += 1U << order;
}

/* isolate_freepages_block: take the free blocks of [*start_pfn, end_pfn) until there are targets
 * for every isolated page; *start_pfn: where it stopped (mm/compaction.c). */
static void isolate_freepages_block(struct machine *m, struct compact_control *cc, unsigned long *start_pfn,
				    unsigned long end_pfn)
{
	unsigned long nr_scanned = 0, total_isolated = 0, pfn = *start_pfn;

	for (; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		unsigned int order;
		unsigned long isolated;

		nr_scanned++;
		if (!PageBuddy(page))
			continue;
		order = (unsigned int)buddy_order(page);
		isolated = __isolate_free_page(m, page, order);
		if (!isolated)
			break;
		split_free_block(cc, page, order);
		nr_scanned += isolated - 1;
		total_isolated += isolated;
		if (cc->nr_migratepages <= cc->nr_freepages) {
			pfn += isolated;
			break;
		}
		pfn += isolated - 1;
	}
	if (trace_enabled(m, mm_compaction_isolate_freepages))
		trace_emit(m, TP_mm_compaction_isolate_freepages, "range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu",
			   *start_pfn, pfn, nr_scanned, total_isolated);
	*start_pfn = pfn < end_pfn ? pfn : end_pfn;
	cc->total_free_scanned += nr_scanned;
	count_vm_events(m, COMPACTISOLATED, total_isolated);
}

/* isolate_freepages: walk pageblocks down from the free scanner's position, not into the migration
 * scanner's pageblock, until there are enough targets (mm/compaction.c). */
static void isolate_freepages(struct machine *m, struct compact_control *cc)
{
	unsigned long nr = pageblock_nr_pages(m), isolate_start_pfn = cc->free_pfn;
	unsigned long block_start_pfn = pageblock_start_pfn(m, cc->free_pfn);
	unsigned long block_end_pfn = block_start_pfn + nr;
	unsigned long low_pfn = pageblock_end_pfn(m, cc->migrate_pfn);

	if (block_end_pfn > zone_end_pfn(cc->zone))
		block_end_pfn = zone_end_pfn(cc->zone);
	for (; block_start_pfn >= low_pfn; block_end_pfn = block_start_pfn, block_start_pfn -= nr,
	     isolate_start_pfn = block_start_pfn) {
		if (!pageblock_pfn_to_page(m, cc->zone, block_start_pfn, block_end_pfn) ||
		    !suitable_migration_target(m, cc, block_start_pfn))
			continue;
		isolate_freepages_block(m, cc, &isolate_start_pfn, block_end_pfn);
		if (cc->nr_freepages >= cc->nr_migratepages) {
			/* Block done: the next call starts below it. */
			if (isolate_start_pfn >= block_end_pfn)
				isolate_start_pfn = block_start_pfn - nr;
			break;
		}
		if (isolate_start_pfn < block_end_pfn)	/* stopped early: the watermark */
			break;
	}
	cc->free_pfn = isolate_start_pfn;
}

/* compaction_alloc: a migration target from the isolated free pages, isolating more when they run
 * out (mm/compaction.c). */
static struct page *compaction_alloc(struct machine *m, struct page *src, void *data)
{
	struct compact_control *cc = data;
	struct page *page;

	(void)src;
	if (list_empty(&cc->freepages))
		isolate_freepages(m, cc);
	if (list_empty(&cc->freepages))
		return NULL;
	page = list_first_entry(&cc->freepages, struct page, lru);
	list_del(&page->lru);
	cc->nr_freepages--;
	set_page_count(page, 1);
	return page;
}

/* compaction_free: a target migration did not use goes back to the isolated list (mm/compaction.c). */
static void compaction_free(struct machine *m, struct page *page, void *data)
{
	struct compact_control *cc = data;

	(void)m;
	set_page_count(page, 0);
	list_add(&page->lru, &cc->freepages);
	cc->nr_freepages++;
}

/* release_free_list: the targets left over go back to the allocator (mm/compaction.c). */
static void release_free_list(struct machine *m, struct compact_control *cc)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &cc->freepages, lru) {
		list_del(&page->lru);
		set_page_count(page, 1);
		__free_pages(m, page, 0);
	}
	cc->nr_freepages = 0;
}

static bool compact_scanners_met(const struct machine *m, const struct compact_control *cc)
{
	return (cc->free_pfn >> m->arch->pageblock_order) <= (cc->migrate_pfn >> m->arch->pageblock_order);
}

/* free_block_usable: the allocation compacted for would find a block of this order: on its own
 * lists, or on another type's it may claim the whole pageblock of (__compact_finished). */
static bool free_block_usable(struct machine *m, struct compact_control *cc, unsigned int order)
{
	struct free_area *area = &cc->zone->free_area[order];
	bool can_steal = false;

	if (!list_empty(&area->free_list[cc->migratetype]))
		return true;
	return find_suitable_fallback(m, area, order, cc->migratetype, &can_steal) >= 0 && can_steal;
}

/* __compact_finished: the scanners met, or (pageblock by pageblock) a block of the order is free
 * (mm/compaction.c). compact_memory (order -1) always runs until the scanners meet. */
static enum compact_result __compact_finished(struct machine *m, struct compact_control *cc)
{
	if (compact_scanners_met(m, cc))
		return COMPACT_COMPLETE;
	if (cc->order < 0 || (cc->migrate_pfn & (pageblock_nr_pages(m) - 1)))
		return COMPACT_CONTINUE;
	for (unsigned int order = (unsigned int)cc->order; order < NR_PAGE_ORDERS; order++)
		if (free_block_usable(m, cc, order))
			return COMPACT_SUCCESS;
	return COMPACT_CONTINUE;
}

/* compact_finished: __compact_finished, traced (mm/compaction.c). */
static enum compact_result compact_finished(struct machine *m, struct compact_control *cc)
{
	enum compact_result ret = __compact_finished(m, cc);

	if (trace_enabled(m, mm_compaction_finished))
		trace_compaction_status(cc->zone, TP_mm_compaction_finished, cc->order, ret);
	return ret;
}

/* compact_drain: once the migration scanner has left the order-aligned block it migrated from, the
 * pages freed there leave the per-CPU lists so that they merge (compact_zone's check_drain). */
static void compact_drain(struct machine *m, struct compact_control *cc, unsigned long *last_migrated_pfn)
{
	if (cc->order <= 0 || !*last_migrated_pfn)
		return;
	if (*last_migrated_pfn < (cc->migrate_pfn & ~((1UL << cc->order) - 1))) {
		drain_local_pages(m, cc->zone);
		*last_migrated_pfn = 0;
	}
}

/* compact_migrate: migrate the isolated cluster; COMPACT_CONTENDED when targets ran out before the
 * scanners met (compact_zone). */
static enum compact_result compact_migrate(struct machine *m, struct compact_control *cc)
{
	unsigned int nr_succeeded;
	unsigned int nr_all = cc->nr_migratepages;
	int err = migrate_pages(m, &cc->migratepages, compaction_alloc, compaction_free, cc, &nr_succeeded);

	if (trace_enabled(m, mm_compaction_migratepages))
		trace_emit(m, TP_mm_compaction_migratepages, "nr_migrated=%u nr_failed=%u", nr_succeeded,
			   nr_all - nr_succeeded);
	cc->nr_migratepages = 0;
	if (!err)
		return COMPACT_CONTINUE;
	putback_movable_pages(m, &cc->migratepages);
	return err == -ENOMEM && !compact_scanners_met(m, cc) ? COMPACT_CONTENDED : COMPACT_CONTINUE;
}

enum compact_result compact_zone(struct machine *m, struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	unsigned long last_migrated_pfn = 0;
	enum compact_result ret;

	INIT_LIST_HEAD(&cc->freepages);
	INIT_LIST_HEAD(&cc->migratepages);
	cc->nr_freepages = cc->nr_migratepages = 0;
	cc->total_migrate_scanned = cc->total_free_scanned = 0;
	if (cc->order >= 0) {
		ret = compaction_suit_allocation_order(zone, cc->order, cc->highest_zoneidx, cc->alloc_flags);
		if (ret != COMPACT_CONTINUE)
			return ret;
	}
	cc->migrate_pfn = zone->zone_start_pfn;
	cc->free_pfn = pageblock_start_pfn(m, zone_end_pfn(zone) - 1);
	if (trace_enabled(m, mm_compaction_begin))
		trace_emit(m, TP_mm_compaction_begin, "zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s",
			   zone->zone_start_pfn, cc->migrate_pfn, cc->free_pfn, zone_end_pfn(zone),
			   cc->mode == MIGRATE_ASYNC ? "async" : "sync");
	while ((ret = compact_finished(m, cc)) == COMPACT_CONTINUE) {
		if (isolate_migratepages(m, cc) == ISOLATE_SUCCESS) {
			unsigned long start = pageblock_start_pfn(m, cc->migrate_pfn - 1);

			last_migrated_pfn = start > zone->zone_start_pfn ? start : zone->zone_start_pfn;
			if ((ret = compact_migrate(m, cc)) != COMPACT_CONTINUE)
				break;
		}
		compact_drain(m, cc, &last_migrated_pfn);
	}
	release_free_list(m, cc);
	/* The kernel leaves what compact_memory freed on the per-CPU lists until they overflow; the
	 * machine's lists are large next to its RAM, so they are drained here for buddyinfo to show. */
	drain_local_pages(m, zone);
	count_vm_events(m, COMPACTMIGRATE_SCANNED, cc->total_migrate_scanned);
	count_vm_events(m, COMPACTFREE_SCANNED, cc->total_free_scanned);
	if (trace_enabled(m, mm_compaction_end))
		trace_emit(m, TP_mm_compaction_end, "zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, "
			   "mode=%s status=%s", zone->zone_start_pfn, cc->migrate_pfn, cc->free_pfn, zone_end_pfn(zone),
			   cc->mode == MIGRATE_ASYNC ? "async" : "sync", compaction_status_string[ret]);
	return ret;
}

/* compact_zone_order: one zone compacted for an allocation: async at the first priority, sync
 * after (mm/compaction.c). */
static enum compact_result compact_zone_order(struct machine *m, struct zone *zone, int order, gfp_t gfp,
					      enum compact_priority prio, unsigned int alloc_flags, int highest_zoneidx)
{
	struct compact_control cc = {
		.zone = zone,
		.order = order,
		.migratetype = gfp_migratetype(gfp),
		.highest_zoneidx = highest_zoneidx,
		.alloc_flags = alloc_flags,
		.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT,
	};

	return compact_zone(m, &cc);
}

static void trace_try_to_compact_pages(struct machine *m, unsigned int order, gfp_t gfp, enum compact_priority prio)
{
	struct seq_file s;

	seq_init(&s);
	format_gfp_flags(&s, gfp);
	trace_emit(m, TP_mm_compaction_try_to_compact_pages, "order=%u gfp_mask=%s priority=%d", order,
		   s.buf ? s.buf : "none", (int)prio);
	seq_release(&s);
}

enum compact_result try_to_compact_pages(struct machine *m, gfp_t gfp, unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac, enum compact_priority prio)
{
	enum compact_result rc = COMPACT_SKIPPED;

	/* gfp_compaction_allowed: migration may wait for I/O. */
	if (!(gfp & __GFP_IO))
		return COMPACT_SKIPPED;
	if (trace_enabled(m, mm_compaction_try_to_compact_pages))
		trace_try_to_compact_pages(m, order, gfp, prio);
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		enum compact_result status;

		if (!zref_allowed(ac, z))
			continue;
		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(zone, (int)order)) {
			if (rc < COMPACT_DEFERRED)
				rc = COMPACT_DEFERRED;
			continue;
		}
		status = compact_zone_order(m, zone, (int)order, gfp, prio, alloc_flags, (int)ac->highest_zoneidx);
		if (status > rc)
			rc = status;
		if (status == COMPACT_SUCCESS) {
			/* Not sure yet: the caller resets for good when the allocation succeeds. */
			compaction_defer_reset(zone, (int)order, false);
			break;
		}
		/* Sync compaction that went through the zone and failed: the zone waits a while. */
		if (prio != COMPACT_PRIO_ASYNC && status == COMPACT_COMPLETE)
			defer_compaction(zone, (int)order);
	}
	return rc;
}

void compact_node(struct machine *m, pg_data_t *pgdat)
{
	for (int zoneid = 0; zoneid < MAX_NR_ZONES; zoneid++) {
		struct compact_control cc = {
			.zone = &pgdat->node_zones[zoneid],
			.order = -1,
			.mode = MIGRATE_SYNC_LIGHT,
			.highest_zoneidx = zoneid,
		};

		if (populated_zone(cc.zone))
			compact_zone(m, &cc);
	}
}

void compact_nodes(struct machine *m)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		compact_node(m, NODE_DATA(m, nid));
}

int sysfs_compact_node(struct machine *m, const char *arg, const char *text, size_t len)
{
	(void)text;
	(void)len;
	compact_node(m, NODE_DATA(m, atoi(arg)));
	return 0;
}

/* kcompactd_work_requested: what kcompactd waits for (mm/compaction.c). */
static bool kcompactd_work_requested(struct machine *m, void *data)
{
	pg_data_t *pgdat = data;

	(void)m;
	return pgdat->kcompactd_max_order > 0;
}

/* mm_compaction_kcompactd_wake and mm_compaction_wakeup_kcompactd (kcompactd_wake_template). */
static void trace_kcompactd_wake(struct machine *m, enum trace_event_id id, int nid, int order, int highest_zoneidx)
{
	trace_emit(m, id, "nid=%d order=%d classzone_idx=%-8s", nid, order,
		   NODE_DATA(m, nid)->node_zones[highest_zoneidx].name);
}

/* kcompactd_do_work: compact each zone up to the highest one asked for, where compaction can help,
 * for the highest order asked for (mm/compaction.c). */
static void kcompactd_do_work(struct machine *m, void *data)
{
	pg_data_t *pgdat = data;
	struct compact_control cc = {
		.order = pgdat->kcompactd_max_order,
		.highest_zoneidx = pgdat->kcompactd_highest_zoneidx,
		.mode = MIGRATE_SYNC_LIGHT,
		.alloc_flags = ALLOC_WMARK_MIN,
	};

	if (trace_enabled(m, mm_compaction_kcompactd_wake))
		trace_kcompactd_wake(m, TP_mm_compaction_kcompactd_wake, pgdat->node_id, cc.order, cc.highest_zoneidx);
	count_vm_event(m, KCOMPACTD_WAKE);
	for (int zoneid = 0; zoneid <= cc.highest_zoneidx; zoneid++) {
		enum compact_result status;

		cc.zone = &pgdat->node_zones[zoneid];
		if (!populated_zone(cc.zone) || compaction_deferred(cc.zone, cc.order) ||
		    compaction_suit_allocation_order(cc.zone, cc.order, zoneid, ALLOC_WMARK_MIN) != COMPACT_CONTINUE)
			continue;
		status = compact_zone(m, &cc);
		if (status == COMPACT_SUCCESS)
			compaction_defer_reset(cc.zone, cc.order, false);
		else if (status == COMPACT_COMPLETE)
			defer_compaction(cc.zone, cc.order);
		count_vm_events(m, KCOMPACTD_MIGRATE_SCANNED, cc.total_migrate_scanned);
		count_vm_events(m, KCOMPACTD_FREE_SCANNED, cc.total_free_scanned);
	}
	if (pgdat->kcompactd_max_order <= cc.order)
		pgdat->kcompactd_max_order = 0;
	if (pgdat->kcompactd_highest_zoneidx >= cc.highest_zoneidx)
		pgdat->kcompactd_highest_zoneidx = pgdat->nr_zones - 1;
}

void wakeup_kcompactd(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	if (!order)
		return;
	if (trace_enabled(pgdat->machine, mm_compaction_wakeup_kcompactd))
		trace_kcompactd_wake(pgdat->machine, TP_mm_compaction_wakeup_kcompactd, pgdat->node_id, order,
				     highest_zoneidx);
	if (pgdat->kcompactd_max_order < order)
		pgdat->kcompactd_max_order = order;
	if (pgdat->kcompactd_highest_zoneidx > highest_zoneidx)
		pgdat->kcompactd_highest_zoneidx = highest_zoneidx;
}

/* kcompactd_init: one kcompactd per node (kcompactd_run). */
int kcompactd_init(struct machine *m)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		char comm[16];

		snprintf(comm, sizeof(comm), "kcompactd%d", nid);
		pgdat->kcompactd_highest_zoneidx = pgdat->nr_zones - 1;
		if (!kthread_run(m, kcompactd_work_requested, kcompactd_do_work, pgdat, comm))
			return -ENOMEM;
	}
	return 0;
}
