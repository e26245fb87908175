/*
 * Contiguous ranges of pages (mm/page_isolation.c; alloc_contig_range and alloc_contig_pages live in
 * the kernel's mm/page_alloc.c, which here is full): a range of pageblocks is isolated (MIGRATE_ISOLATE:
 * their free pages leave the allocator's reach, and pages freed into them stay there), the movable
 * pages inside are migrated out, and once every page of the range is free it is taken whole. This is
 * how the 1 GiB pages of hugetlb, larger than any buddy block, are allocated. The pages migration
 * can move are anonymous and page-cache pages on the LRU that no one pins (page_is_movable).
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/gfp.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>
#include <mmlab/vmscan.h>

#include "internal.h"

/* How many rounds of isolate-and-migrate a range gets before it is given up (__alloc_contig_migrate_range). */
#define CONTIG_MIGRATE_TRIES	5

/* pfn_range_valid_contig: every page of [start, start + nr) is in zone and free or movable; a free
 * block is skipped whole (mm/page_alloc.c). */
static bool pfn_range_valid_contig(struct machine *m, struct zone *zone, unsigned long start, unsigned long nr)
{
	for (unsigned long pfn = start; pfn < start + nr;) {
		struct page *page;

		if (!pfn_valid(m, pfn) || !zone_spans_pfn(zone, pfn))
			return false;
		page = pfn_to_page(m, pfn);
		if (PageBuddy(page)) {
			pfn += 1UL << buddy_order(page);
			continue;
		}
		if (!page_is_movable(page))
			return false;
		pfn++;
	}
	return true;
}

/* start_isolate_page_range: each pageblock becomes MIGRATE_ISOLATE, its free pages moved to the
 * isolated lists; the old types are kept in saved (mm/page_isolation.c). */
static void start_isolate_page_range(struct machine *m, struct zone *zone, unsigned long start, unsigned long end,
				     unsigned char *saved)
{
	for (unsigned long pfn = start, i = 0; pfn < end; pfn += pageblock_nr_pages(m), i++) {
		enum migratetype mt = get_pfnblock_migratetype(m, zone, pfn);

		saved[i] = (unsigned char)mt;
		move_freepages_block(m, zone, pfn, mt, MIGRATE_ISOLATE);
	}
}

/* undo_isolate_page_range: the pageblocks get their types back, with whatever is free in them. */
static void undo_isolate_page_range(struct machine *m, struct zone *zone, unsigned long start, unsigned long end,
				    const unsigned char *saved)
{
	for (unsigned long pfn = start, i = 0; pfn < end; pfn += pageblock_nr_pages(m), i++)
		move_freepages_block(m, zone, pfn, MIGRATE_ISOLATE, (enum migratetype)saved[i]);
}

/* isolate_migratepages_range: the movable pages of the range onto list; false when a page is in use
 * but cannot be taken (an unmovable page appeared, or one is pinned). */
static bool isolate_migratepages_range(struct machine *m, unsigned long start, unsigned long end,
				       struct list_head *list)
{
	for (unsigned long pfn = start; pfn < end;) {
		struct page *page = pfn_to_page(m, pfn);

		if (PageBuddy(page)) {
			pfn += 1UL << buddy_order(page);
			continue;
		}
		if (!isolate_movable_page(m, page))
			return false;
		list_add_tail(&page->lru, list);
		pfn++;
	}
	return true;
}

/* __alloc_contig_migrate_range: rounds of isolation and migration until nothing is left in use; 0 or
 * -EBUSY (mm/page_alloc.c). */
static int __alloc_contig_migrate_range(struct machine *m, unsigned long start, unsigned long end)
{
	/* the range's own free pages are isolated: the targets come from elsewhere, the local node first */
	struct migration_target_control mtc = { .nid = m->cpu_to_node[m->this_cpu], .gfp_mask = GFP_HIGHUSER_MOVABLE };

	for (int tries = 0; tries < CONTIG_MIGRATE_TRIES; tries++) {
		struct list_head list = LIST_HEAD_INIT(list);
		unsigned int moved;
		bool all = isolate_migratepages_range(m, start, end, &list);

		if (all && list_empty(&list))
			return 0;
		if (!list_empty(&list) && migrate_pages(m, &list, alloc_migration_target, free_migration_target, &mtc,
							&moved))
			putback_movable_pages(m, &list);
		if (!all)
			break;
	}
	return -EBUSY;
}

/* test_pages_isolated: every page of the range is free on the isolated lists (mm/page_isolation.c). */
static bool test_pages_isolated(struct machine *m, unsigned long start, unsigned long end)
{
	for (unsigned long pfn = start; pfn < end;) {
		struct page *page = pfn_to_page(m, pfn);

		if (!PageBuddy(page))
			return false;
		pfn += 1UL << buddy_order(page);
	}
	return true;
}

/* isolate_freepages_range: every free block of the range off the isolated lists, each page now an
 * allocated page without references (mm/compaction.c). */
static void isolate_freepages_range(struct machine *m, unsigned long start, unsigned long end)
{
	for (unsigned long pfn = start; pfn < end;) {
		struct page *page = pfn_to_page(m, pfn);
		unsigned long nr = __isolate_free_page(m, page, (unsigned int)buddy_order(page));

		for (unsigned long i = 0; i < nr; i++)
			set_page_count(page + i, 0);
		pfn += nr;
	}
}

/* alloc_contig_range: [start, end) of zone, isolated, emptied by migration and taken whole; 0 or
 * -EBUSY with everything as it was, or -ENOMEM (mm/page_alloc.c). */
static int alloc_contig_range(struct machine *m, struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned char *saved = malloc((end - start) / pageblock_nr_pages(m));
	int ret;

	if (!saved)
		return -ENOMEM;
	start_isolate_page_range(m, zone, start, end, saved);
	drain_all_pages(m);	/* pages on the per-CPU lists fall into the isolated blocks */
	ret = __alloc_contig_migrate_range(m, start, end);
	if (!ret && !test_pages_isolated(m, start, end))
		ret = -EBUSY;
	if (!ret)
		isolate_freepages_range(m, start, end);
	undo_isolate_page_range(m, zone, start, end, saved);
	free(saved);
	return ret;
}

struct page *alloc_contig_pages(struct machine *m, unsigned int order, gfp_t gfp, int nid)
{
	unsigned long nr = 1UL << order;
	pg_data_t *pgdat = NODE_DATA(m, nid);

	drain_all_pages(m);
	for (int z = (int)gfp_zone(m, gfp); z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];

		for (unsigned long pfn = (zone->zone_start_pfn + nr - 1) & ~(nr - 1);
		     populated_zone(zone) && pfn + nr <= zone_end_pfn(zone); pfn += nr) {
			if (!pfn_range_valid_contig(m, zone, pfn, nr) || alloc_contig_range(m, zone, pfn, pfn + nr))
				continue;
			set_page_count(pfn_to_page(m, pfn), 1);
			prep_compound_page(pfn_to_page(m, pfn), order);
			return pfn_to_page(m, pfn);
		}
	}
	return NULL;
}

void free_contig_range(struct machine *m, struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	for (unsigned long i = 1; i < nr; i++)
		page[i].compound_head = 0;
	page[1].compound_order = 0;
	clear_page_flag(page, PG_head);
	for (unsigned long i = 0; i < nr; i += 1UL << MAX_PAGE_ORDER) {
		set_page_count(page + i, 1);
		__free_pages(m, page + i, MAX_PAGE_ORDER);
	}
}
