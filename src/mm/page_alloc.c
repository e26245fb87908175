/*
 * The buddy allocator (mm/page_alloc.c).
 *
 * Each zone keeps its free pages in blocks of 2^order pages, on one list per order and migratetype.
 * Allocating splits a bigger block in halves until the order fits (expand); freeing merges a block
 * with its buddy — the block at pfn ^ (1 << order) — for as long as that buddy is free and of the
 * same order (__free_one_page). In front of the buddy lists, each CPU keeps a small cache of
 * low-order pages per zone (the pcp lists) so that most allocations and frees touch no shared list.
 * When no zone is above its low watermark, __alloc_pages_slowpath (page_alloc_slowpath.c) takes over.
 */
#include <string.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmstat.h>

#include "internal.h"

/* The lists a migratetype steals from when its own are empty, best first (mm/page_alloc.c fallbacks). */
static const enum migratetype fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

void set_pageblock_migratetype(struct machine *m, struct zone *zone, unsigned long pfn, enum migratetype mt)
{
	zone->pageblock_flags[pfn_to_bitidx(m, zone, pfn)] = (unsigned char)mt;
}

/* account_freepages: NR_FREE_PAGES counts what the buddy lists hold, isolated blocks excepted;
 * NR_FREE_PAGES_BLOCKS the part in blocks of a whole pageblock or more (mm/page_alloc.c). */
static void account_freepages(struct machine *m, struct zone *zone, long nr_pages, unsigned int order,
			      enum migratetype mt)
{
	if (mt == MIGRATE_ISOLATE)
		return;
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	if (order >= m->arch->pageblock_order)
		__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, nr_pages);
	if (mt == MIGRATE_HIGHATOMIC)
		zone->nr_free_highatomic += nr_pages;
}

static void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	__SetPageType(page, PG_buddy);
}

/* __add_to_free_list: the block goes to the head (used soon) or the tail (left to merge). */
static void __add_to_free_list(struct page *page, struct zone *zone, unsigned int order, enum migratetype mt,
			       bool tail)
{
	struct free_area *area = &zone->free_area[order];

	if (tail)
		list_add_tail(&page->lru, &area->free_list[mt]);
	else
		list_add(&page->lru, &area->free_list[mt]);
	area->nr_free++;
}

static void add_to_free_list(struct page *page, struct zone *zone, unsigned int order, enum migratetype mt,
			     bool tail)
{
	set_buddy_order(page, order);
	__add_to_free_list(page, zone, order, mt, tail);
	account_freepages(zone_machine(zone), zone, 1L << order, order, mt);
}

static void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order,
				    enum migratetype mt)
{
	list_del(&page->lru);
	__ClearPageType(page);
	page->private = 0;
	zone->free_area[order].nr_free--;
	account_freepages(zone_machine(zone), zone, -(1L << order), order, mt);
}

static struct page *get_page_from_free_area(struct free_area *area, enum migratetype mt)
{
	if (list_empty(&area->free_list[mt]))
		return NULL;
	return list_first_entry(&area->free_list[mt], struct page, lru);
}

/* page_is_buddy: is buddy a free block of this order in the same zone, so the two can merge? */
static bool page_is_buddy(const struct page *page, const struct page *buddy, unsigned int order)
{
	return PageBuddy(buddy) && buddy_order(buddy) == order &&
	       page_zonenum(page) == page_zonenum(buddy) && page_to_nid(page) == page_to_nid(buddy);
}

/* find_buddy_page_pfn: the free buddy of the block at pfn, or NULL. */
static struct page *find_buddy_page_pfn(struct machine *m, struct page *page, unsigned long pfn,
					unsigned int order, unsigned long *buddy_pfn)
{
	unsigned long bpfn = pfn ^ (1UL << order);

	if (!pfn_valid(m, bpfn))
		return NULL;
	struct page *buddy = page + ((long)bpfn - (long)pfn);
	if (!page_is_buddy(page, buddy, order))
		return NULL;
	*buddy_pfn = bpfn;
	return buddy;
}

/*
 * __free_one_page: put a block back, merging it with its buddy as long as the buddy is free
 * (mm/page_alloc.c). Blocks of pageblock size or more merge only when their migratetypes may mix.
 */
static void __free_one_page(struct machine *m, struct page *page, unsigned long pfn, struct zone *zone,
			    unsigned int order, enum migratetype mt)
{
	unsigned long buddy_pfn = 0;
	bool to_tail = false;

	while (order < MAX_PAGE_ORDER) {
		struct page *buddy = find_buddy_page_pfn(m, page, pfn, order, &buddy_pfn);
		if (!buddy)
			break;
		enum migratetype buddy_mt = get_pfnblock_migratetype(m, zone, buddy_pfn);
		/* Never merge an isolated block (or the highatomic reserve) into another type. */
		if (order >= m->arch->pageblock_order && mt != buddy_mt &&
		    (mt >= MIGRATE_PCPTYPES || buddy_mt >= MIGRATE_PCPTYPES))
			break;
		del_page_from_free_list(buddy, zone, order, buddy_mt);
		if (buddy_mt != mt)
			set_pageblock_migratetype(m, zone, buddy_pfn, mt);
		unsigned long combined_pfn = buddy_pfn & pfn;
		page = page + ((long)combined_pfn - (long)pfn);
		pfn = combined_pfn;
		order++;
	}

	/* If the next-bigger buddy is free, this block will likely merge soon: keep it at the tail,
	 * away from allocations (buddy_merge_likely). */
	if (order < MAX_PAGE_ORDER - 1) {
		unsigned long higher_pfn = pfn ^ (1UL << (order + 1));
		unsigned long higher_buddy = (pfn & higher_pfn) ^ (1UL << (order + 1));
		to_tail = pfn_valid(m, higher_buddy) && PageBuddy(pfn_to_page(m, higher_buddy)) &&
			  page_zonenum(pfn_to_page(m, higher_buddy)) == page_zonenum(page);
	}
	add_to_free_list(page, zone, order, mt, to_tail);
}

/* expand: split a block of order high down to order low, freeing the upper halves (mm/page_alloc.c). */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high,
		   enum migratetype mt)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high, mt, false);
	}
}

static void page_del_and_expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high,
				enum migratetype mt)
{
	del_page_from_free_list(page, zone, high, mt);
	expand(zone, page, low, high, mt);
}

/* __rmqueue_smallest: the smallest free block of this migratetype that fits. */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, enum migratetype mt)
{
	for (unsigned int current_order = order; current_order < NR_PAGE_ORDERS; current_order++) {
		struct page *page = get_page_from_free_area(&zone->free_area[current_order], mt);
		if (!page)
			continue;
		page_del_and_expand(zone, page, order, current_order, mt);
		return page;
	}
	return NULL;
}

/* can_steal_fallback: may an allocation of start_mt claim the whole pageblock it steals from? */
static bool can_steal_fallback(const struct machine *m, unsigned int order, enum migratetype start_mt)
{
	if (order >= m->arch->pageblock_order / 2)
		return true;
	return start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE;
}

/* find_suitable_fallback: the first fallback type with a free block at this order, or -1. */
int find_suitable_fallback(const struct machine *m, struct free_area *area, unsigned int order,
				  enum migratetype start_mt, bool *can_steal)
{
	if (area->nr_free == 0)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		enum migratetype fallback_mt = fallbacks[start_mt][i];
		if (list_empty(&area->free_list[fallback_mt]))
			continue;
		*can_steal = can_steal_fallback(m, order, start_mt);
		return (int)fallback_mt;
	}
	return -1;
}

unsigned long move_freepages_block(struct machine *m, struct zone *zone, unsigned long start_pfn,
					  enum migratetype old_mt, enum migratetype new_mt)
{
	unsigned long end_pfn = start_pfn + pageblock_nr_pages(m), moved = 0;

	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		struct page *page = pfn_to_page(m, pfn);
		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		unsigned int order = (unsigned int)buddy_order(page);
		del_page_from_free_list(page, zone, order, old_mt);
		add_to_free_list(page, zone, order, new_mt, false);
		pfn += 1UL << order;
		moved += 1UL << order;
	}
	set_pageblock_migratetype(m, zone, start_pfn, new_mt);
	return moved;
}

/* prep_move_freepages_block: count free and movable pages of a pageblock that lies wholly in the zone. */
static bool prep_move_freepages_block(struct machine *m, struct zone *zone, struct page *page,
				      unsigned long *start_pfn, unsigned long *free_pages,
				      unsigned long *movable_pages)
{
	unsigned long pfn = page_to_pfn(m, page);
	unsigned long start = pfn & ~(pageblock_nr_pages(m) - 1);
	unsigned long end = start + pageblock_nr_pages(m);

	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1))
		return false;
	*start_pfn = start;
	*free_pages = *movable_pages = 0;
	for (pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(m, pfn);
		if (PageBuddy(p)) {
			*free_pages += 1UL << buddy_order(p);
			pfn += 1UL << buddy_order(p);
			continue;
		}
		if (PageLRU(p))
			(*movable_pages)++;
		pfn++;
	}
	return true;
}

/*
 * try_to_claim_block / steal_suitable_fallback: take the fallback block; if the pageblock it sits in
 * is mostly free or already used alike, convert the whole pageblock to our type, so that
 * unmovable allocations gather in few pageblocks instead of scattering over all of them.
 */
static struct page *steal_suitable_fallback(struct machine *m, struct zone *zone, struct page *page,
					    unsigned int order, unsigned int current_order,
					    enum migratetype start_mt, enum migratetype block_mt, bool whole_block)
{
	unsigned long start_pfn, free_pages, movable_pages;
	unsigned int pb_order = m->arch->pageblock_order;

	if (current_order >= pb_order) {
		unsigned long pfn = page_to_pfn(m, page);
		del_page_from_free_list(page, zone, current_order, block_mt);
		for (unsigned long i = 0; i < (1UL << current_order); i += pageblock_nr_pages(m))
			set_pageblock_migratetype(m, zone, pfn + i, start_mt);
		expand(zone, page, order, current_order, start_mt);
		return page;
	}
	if (whole_block && prep_move_freepages_block(m, zone, page, &start_pfn, &free_pages, &movable_pages)) {
		unsigned long alike_pages = 0;
		if (start_mt == MIGRATE_MOVABLE)
			alike_pages = movable_pages;
		else if (block_mt == MIGRATE_MOVABLE)
			alike_pages = pageblock_nr_pages(m) - (free_pages + movable_pages);
		if (free_pages + alike_pages >= (1UL << (pb_order - 1))) {
			move_freepages_block(m, zone, start_pfn, block_mt, start_mt);
			return __rmqueue_smallest(zone, order, start_mt);
		}
	}
	/* Take just this block; what is split off stays with the pageblock's own type. */
	page_del_and_expand(zone, page, order, current_order, block_mt);
	return page;
}

__attribute__((cold, noinline))
static void trace_extfrag(struct machine *m, struct page *page, unsigned int order, unsigned int fallback_order,
			  enum migratetype start_mt, enum migratetype fallback_mt, enum migratetype now_mt)
{
	trace_emit(m, TP_mm_page_alloc_extfrag,
		   "page=%016lx pfn=0x%lx alloc_order=%u fallback_order=%u pageblock_order=%u "
		   "alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
		   page_kaddr(m, page), page_to_pfn(m, page), order, fallback_order, m->arch->pageblock_order,
		   start_mt, fallback_mt, fallback_order < m->arch->pageblock_order, now_mt == start_mt);
}

/*
 * __rmqueue_fallback: no block of our type is free; steal from another type. Take the largest
 * block available, to claim a whole pageblock and limit mixing (mm/page_alloc.c).
 */
static struct page *__rmqueue_fallback(struct machine *m, struct zone *zone, unsigned int order,
				       enum migratetype start_mt, unsigned int alloc_flags)
{
	unsigned int min_order = order;
	bool can_steal = false;
	int current_order, fallback_mt = -1;

	if (order < m->arch->pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = m->arch->pageblock_order;
	for (current_order = MAX_PAGE_ORDER; current_order >= (int)min_order; current_order--) {
		fallback_mt = find_suitable_fallback(m, &zone->free_area[current_order], (unsigned)current_order,
						     start_mt, &can_steal);
		if (fallback_mt < 0)
			continue;
		/* A movable request that cannot claim the block takes the smallest block instead. */
		if (!can_steal && start_mt == MIGRATE_MOVABLE && current_order > (int)order)
			goto find_smallest;
		goto do_steal;
	}
	return NULL;

find_smallest:
	for (current_order = (int)order; current_order < NR_PAGE_ORDERS; current_order++) {
		fallback_mt = find_suitable_fallback(m, &zone->free_area[current_order], (unsigned)current_order,
						     start_mt, &can_steal);
		if (fallback_mt >= 0)
			break;
	}
	if (fallback_mt < 0)
		return NULL;

do_steal: {
	struct page *page = get_page_from_free_area(&zone->free_area[current_order], (enum migratetype)fallback_mt);
	page = steal_suitable_fallback(m, zone, page, order, (unsigned)current_order, start_mt,
				       (enum migratetype)fallback_mt, can_steal);
	if (page && trace_enabled(m, mm_page_alloc_extfrag))
		trace_extfrag(m, page, order, (unsigned)current_order, start_mt, (enum migratetype)fallback_mt,
			      get_pfnblock_migratetype(m, zone, page_to_pfn(m, page)));
	return page;
}
}

/* __rmqueue: our own type first, then a fallback (mm/page_alloc.c). */
static struct page *__rmqueue(struct machine *m, struct zone *zone, unsigned int order, enum migratetype mt,
			      unsigned int alloc_flags)
{
	struct page *page = __rmqueue_smallest(zone, order, mt);

	if (!page)
		page = __rmqueue_fallback(m, zone, order, mt, alloc_flags);
	return page;
}

/* order_to_pindex: which per-CPU list holds pages of this order and type. */
static inline __attribute__((always_inline)) unsigned int order_to_pindex(const struct machine *m, enum migratetype mt, unsigned int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		(void)m;
		return NR_LOWORDER_PCP_LISTS + (mt == MIGRATE_MOVABLE);
	}
	return MIGRATE_PCPTYPES * order + mt;
}

static unsigned int pindex_to_order(const struct machine *m, unsigned int pindex)
{
	if (pindex >= NR_LOWORDER_PCP_LISTS)
		return m->arch->pageblock_order;
	return pindex / MIGRATE_PCPTYPES;
}

__attribute__((cold, noinline))
static void trace_page_pcpu_drain(struct machine *m, struct page *page, unsigned int order, enum migratetype mt)
{
	trace_emit(m, TP_mm_page_pcpu_drain, "page=%016lx pfn=0x%lx order=%u migratetype=%d",
			   page_kaddr(m, page), page_to_pfn(m, page), order, mt);
}

/* free_pcppages_bulk: return count pages from the per-CPU lists to the buddy, coldest first, taking
 * the lists in turn (mm/page_alloc.c). */
static void free_pcppages_bulk(struct machine *m, struct zone *zone, int count, struct per_cpu_pages *pcp,
			       unsigned int pindex)
{
	if (count > pcp->count)
		count = pcp->count;
	while (count > 0) {
		struct list_head *list;
		do {
			pindex = (pindex + 1) % NR_PCP_LISTS;
			list = &pcp->lists[pindex];
		} while (list_empty(list));

		unsigned int order = pindex_to_order(m, pindex);
		do {
			struct page *page = list_last_entry(list, struct page, pcp_list);
			unsigned long pfn = page_to_pfn(m, page);
			enum migratetype mt = get_pfnblock_migratetype(m, zone, pfn);
			list_del(&page->pcp_list);
			count -= 1 << order;
			pcp->count -= 1 << order;
			__free_one_page(m, page, pfn, zone, order, mt);
			if (trace_enabled(m, mm_page_pcpu_drain))
				trace_page_pcpu_drain(m, page, order, mt);
		} while (count > 0 && !list_empty(list));
	}
}

/* rmqueue_bulk: move up to count blocks from the buddy to a per-CPU list; returns how many. */
static int rmqueue_bulk(struct machine *m, struct zone *zone, unsigned int order, int count,
			struct list_head *list, enum migratetype mt, unsigned int alloc_flags)
{
	int i;

	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(m, zone, order, mt, alloc_flags);
		if (!page)
			break;
		list_add_tail(&page->pcp_list, list);
		if (trace_enabled(m, mm_page_alloc_zone_locked))
			trace_emit(m, TP_mm_page_alloc_zone_locked,
				   "page=%016lx pfn=0x%lx order=%u migratetype=%d percpu_refill=1",
				   page_kaddr(m, page), page_to_pfn(m, page), order, mt);
	}
	return i;
}

/* nr_pcp_alloc: how many blocks one refill takes: a batch of pages, fewer blocks for higher orders. */
static int nr_pcp_alloc(const struct per_cpu_pages *pcp, unsigned int order)
{
	int batch = pcp->batch;

	if (pcp->high < batch)
		return 1;
	if (order > 0 && batch > 1) {
		batch >>= order;
		if (batch < 2)
			batch = 2;
	}
	return batch;
}

static struct per_cpu_pages *this_cpu_pcp(const struct machine *m, struct zone *zone)
{
	return &zone->per_cpu_pageset[m->this_cpu];
}

/* rmqueue_pcplist: the fast path: pop a page from this CPU's list, refilling it in a batch when empty. */
static inline __attribute__((always_inline)) struct page *rmqueue_pcplist(struct machine *m, struct zone *zone, unsigned int order,
				    enum migratetype mt, unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp = this_cpu_pcp(m, zone);
	struct list_head *list = &pcp->lists[order_to_pindex(m, mt, order)];

	if (list_empty(list)) {
		int alloced = rmqueue_bulk(m, zone, order, nr_pcp_alloc(pcp, order), list, mt, alloc_flags);
		pcp->count += alloced << order;
		if (list_empty(list))
			return NULL;
	}
	struct page *page = list_first_entry(list, struct page, pcp_list);
	list_del(&page->pcp_list);
	pcp->count -= 1 << order;
	return page;
}

/* reserve_highatomic_pageblock: keep a pageblock aside for high-order atomic allocations, up to about
 * 1% of the zone (mm/page_alloc.c). */
__attribute__((cold, noinline))
static void reserve_highatomic_pageblock(struct machine *m, struct page *page, struct zone *zone)
{
	unsigned long max_managed = zone->managed_pages / 100 + pageblock_nr_pages(m);
	unsigned long pfn = page_to_pfn(m, page);
	unsigned long start_pfn, free_pages, movable_pages;

	if (zone->nr_reserved_highatomic >= max_managed)
		return;
	enum migratetype mt = get_pfnblock_migratetype(m, zone, pfn);
	if (mt >= MIGRATE_PCPTYPES)
		return;
	if (!prep_move_freepages_block(m, zone, page, &start_pfn, &free_pages, &movable_pages))
		return;
	zone->nr_reserved_highatomic += pageblock_nr_pages(m);
	move_freepages_block(m, zone, start_pfn, mt, MIGRATE_HIGHATOMIC);
}

/* rmqueue_buddy: take from the buddy lists directly, the highatomic reserve first when allowed. */
static struct page *rmqueue_buddy(struct machine *m, struct zone *zone, unsigned int order,
				  unsigned int alloc_flags, enum migratetype mt)
{
	struct page *page = NULL;

	if (alloc_flags & ALLOC_HIGHATOMIC)
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		page = __rmqueue(m, zone, order, mt, alloc_flags);
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	}
	if (page && trace_enabled(m, mm_page_alloc_zone_locked))
		trace_emit(m, TP_mm_page_alloc_zone_locked,
			   "page=%016lx pfn=0x%lx order=%u migratetype=%d percpu_refill=0",
			   page_kaddr(m, page), page_to_pfn(m, page), order, mt);
	return page;
}

/* zone_statistics: numa_hit when the page came from the preferred node, and local vs other. */
static inline __attribute__((always_inline)) void zone_statistics(struct machine *m, struct zone *preferred, struct zone *z)
{
	int nid = z->zone_pgdat->node_id;

	if (nid == preferred->zone_pgdat->node_id) {
		__count_numa_event(z, NUMA_HIT);
	} else {
		__count_numa_event(z, NUMA_MISS);
		__count_numa_event(preferred, NUMA_FOREIGN);
	}
	__count_numa_event(z, nid == m->cpu_to_node[m->this_cpu] ? NUMA_LOCAL : NUMA_OTHER);
}

static inline __attribute__((always_inline)) struct page *rmqueue(struct machine *m, struct zone *preferred, struct zone *zone, unsigned int order,
			    unsigned int alloc_flags, enum migratetype mt)
{
	struct page *page = NULL;

	if (pcp_allowed_order(m, order))
		page = rmqueue_pcplist(m, zone, order, mt, alloc_flags);
	if (!page)
		page = rmqueue_buddy(m, zone, order, alloc_flags, mt);
	if (page) {
		__count_zid_vm_events(m, PGALLOC_DMA, page_zonenum(page), 1UL << order);
		zone_statistics(m, preferred, zone);
	}
	return page;
}

/* __zone_watermark_unusable_free: free pages this request may not count toward the watermark. */
static long __zone_watermark_unusable_free(const struct zone *z, unsigned int order, unsigned int alloc_flags)
{
	long unusable = (1L << order) - 1;

	if (!(alloc_flags & ALLOC_RESERVES))
		unusable += z->nr_free_highatomic;	/* only high-order atomic requests may use these */
	return unusable;
}

/* __zone_watermark_ok: would the zone stay above mark (plus the lowmem reserve kept from requests that
 * could have used a higher zone) after this allocation, with a free block big enough? */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
			 unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);
	if (alloc_flags & ALLOC_RESERVES) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;		/* __GFP_HIGH: half the reserve */
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;	/* atomic: a quarter more */
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &z->free_area[o];
		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    !list_empty(&area->free_list[MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
		       unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

/* zone_watermark_fast: the order-0 check without walking the free areas. */
static inline __attribute__((always_inline)) bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
				unsigned int alloc_flags)
{
	long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);

	if (!order) {
		long reserved = __zone_watermark_unusable_free(z, 0, alloc_flags);
		long usable = free_pages - (reserved < free_pages ? reserved : free_pages);
		if (usable > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
}

/* first_zones_zonelist: the first entry the allocation may use (at or below its highest zone, on a
 * node of its nodemask). */
static struct zoneref *first_zones_zonelist(const struct alloc_context *ac)
{
	struct zoneref *z = ac->zonelist->_zonerefs;

	while (z->zone && !zref_allowed(ac, z))
		z++;
	return z;
}

void prep_compound_page(struct page *page, unsigned int order)
{
	set_page_flag(page, PG_head);
	for (unsigned long i = 1; i < (1UL << order); i++)
		page[i].compound_head = (unsigned long)page | 1;
	page[1].compound_order = (unsigned char)order;
	page[1]._entire_mapcount = -1;
}

/* prep_new_page / post_alloc_hook: the page leaves the allocator with one reference. */
static inline __attribute__((always_inline)) void prep_new_page(struct machine *m, struct page *page, unsigned int order, gfp_t gfp)
{
	set_page_count(page, 1);
	page->private = 0;
	if (gfp & __GFP_ZERO)
		memset(kmap_local_page(m, page), 0, PAGE_SIZE << order);
	if (order && (gfp & __GFP_COMP))
		prep_compound_page(page, order);
}

/* get_page_from_freelist: walk the zonelist and take from the first zone above its watermark; inlined
 * into the fast path, called by the slow path (page_alloc_slowpath.c). */
inline __attribute__((always_inline)) struct page *get_page_from_freelist(struct machine *m, gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags, struct alloc_context *ac)
{
	struct zone *preferred = ac->preferred_zoneref->zone;

retry:;
	bool no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		if (!zref_allowed(ac, z))
			continue;
		/* Fragmenting a local pageblock is preferred to using a remote node. */
		if (__builtin_expect(no_fallback && zone->zone_pgdat != preferred->zone_pgdat, 0)) {
			alloc_flags &= ~ALLOC_NOFRAGMENT;
			goto retry;
		}
		if (__builtin_expect(!(alloc_flags & ALLOC_NO_WATERMARKS), 1)) {
			unsigned long mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
			if (!zone_watermark_fast(zone, order, mark, (int)ac->highest_zoneidx, alloc_flags))
				continue;
		}
		struct page *page = rmqueue(m, preferred, zone, order, alloc_flags, ac->migratetype);
		if (__builtin_expect(page != NULL, 1)) {
			prep_new_page(m, page, order, gfp);
			if (__builtin_expect(order && (alloc_flags & ALLOC_HIGHATOMIC), 0))
				reserve_highatomic_pageblock(m, page, zone);
			return page;
		}
	}
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/* alloc_flags_nofragment: with a DMA32 zone below Normal, keep pageblocks unmixed if possible. */
static unsigned int alloc_flags_nofragment(const struct machine *m, const struct zoneref *zref, gfp_t gfp)
{
	unsigned int alloc_flags = gfp & __GFP_KSWAPD_RECLAIM;
	struct zone *zone = zref->zone;

	if (zref->zone_idx != ZONE_NORMAL || !zone_configured(m, ZONE_DMA32))
		return alloc_flags;
	if (m->nr_node_ids > 1 && !populated_zone(&zone->zone_pgdat->node_zones[ZONE_DMA32]))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

__attribute__((cold, noinline))
static void trace_page_alloc(struct machine *m, struct page *page, unsigned int order, gfp_t gfp,
			     enum migratetype mt)
{
	struct seq_file s;

	seq_init(&s);
	format_gfp_flags(&s, gfp);
	trace_emit(m, TP_mm_page_alloc, "page=%016lx pfn=0x%lx order=%u migratetype=%d gfp_flags=%s",
		   page ? page_kaddr(m, page) : 0, page ? page_to_pfn(m, page) : 0, order, mt,
		   s.buf ? s.buf : "none");
	seq_release(&s);
}

/* __alloc_pages_nodemask: the heart of the zoned buddy allocator (mm/page_alloc.c __alloc_pages with
 * its nodemask: the zones of the preferred node's zonelist on those nodes, NULL for all). */
struct page *__alloc_pages_nodemask(struct machine *m, gfp_t gfp, unsigned int order, int preferred_nid,
				    const nodemask_t *nodemask)
{
	if (__builtin_expect(order > MAX_PAGE_ORDER, 0)) {
		if (!(gfp & __GFP_NOWARN))
			printk(m, KERN_WARNING "WARNING: CPU: %d PID: %d at mm/page_alloc.c __alloc_pages: "
			       "order %u > MAX_PAGE_ORDER %d\n", m->this_cpu, m->trace.pid, order, MAX_PAGE_ORDER);
		return NULL;
	}
	pg_data_t *pgdat = NODE_DATA(m, preferred_nid);
	struct alloc_context ac = {
		.zonelist = &pgdat->node_zonelists[(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK],
		.migratetype = gfp_migratetype(gfp),
		.highest_zoneidx = gfp_zone(m, gfp),
		.nodemask = nodemask,
	};
	ac.preferred_zoneref = first_zones_zonelist(&ac);
	if (!ac.preferred_zoneref->zone) {
		warn_alloc(m, gfp, order);
		return NULL;
	}

	unsigned int alloc_flags = ALLOC_WMARK_LOW | alloc_flags_nofragment(m, ac.preferred_zoneref, gfp);
	struct page *page = get_page_from_freelist(m, gfp, order, alloc_flags, &ac);
	if (__builtin_expect(!page, 0))
		page = __alloc_pages_slowpath(m, gfp, order, &ac);
	if (trace_enabled(m, mm_page_alloc))
		trace_page_alloc(m, page, order, gfp, ac.migratetype);
	return page;
}

struct page *__alloc_pages(struct machine *m, gfp_t gfp, unsigned int order, int preferred_nid)
{
	return __alloc_pages_nodemask(m, gfp, order, preferred_nid, NULL);
}

struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	return __alloc_pages(m, gfp, order, m->cpu_to_node[m->this_cpu]);
}

struct page *alloc_pages_node(struct machine *m, int nid, gfp_t gfp, unsigned int order)
{
	if (nid < 0 || nid >= m->nr_node_ids)
		nid = m->cpu_to_node[m->this_cpu];	/* NUMA_NO_NODE: the local node */
	return __alloc_pages(m, gfp, order, nid);
}

/* free_pages_prepare: a page must come back clean; a bad one is reported and kept out of the lists. */
static inline __attribute__((always_inline)) bool free_pages_prepare(struct machine *m, struct page *page, unsigned int order)
{
	if (PageHead(page)) {
		for (unsigned long i = 1; i < (1UL << order); i++)
			page[i].compound_head = 0;
		page[1].compound_order = 0;
		clear_page_flag(page, PG_head);
	}
	if (__builtin_expect(page->_mapcount != -1 || page->mapping != NULL, 0)) {
		bad_page(m, page, page->mapping ? "non-NULL mapping" : "nonzero mapcount");
		return false;
	}
	page->flags &= ~(PAGE_FLAGS_CHECK_AT_PREP | LAST_CPUPID_FLAGS);	/* page_cpupid_reset_last too */
	page->private = 0;
	return true;
}

/* __free_pages_ok: a high order block straight back to the buddy lists. */
static void __free_pages_ok(struct machine *m, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(m, page);
	struct zone *zone = page_zone(m, page);

	count_vm_events(m, PGFREE, 1UL << order);
	__free_one_page(m, page, pfn, zone, order, get_pfnblock_migratetype(m, zone, pfn));
}

/* free_unref_page: a low-order page goes to this CPU's list; a full list drains a batch (mm/page_alloc.c). */
static inline __attribute__((always_inline)) void free_unref_page(struct machine *m, struct page *page, unsigned long pfn, unsigned int order)
{
	struct zone *zone = page_zone(m, page);
	enum migratetype mt = get_pfnblock_migratetype(m, zone, pfn);

	if (__builtin_expect(mt >= MIGRATE_PCPTYPES, 0)) {
		if (mt == MIGRATE_ISOLATE) {
			__free_pages_ok(m, page, order);
			return;
		}
		mt = MIGRATE_MOVABLE;	/* the highatomic reserve is not cached per CPU */
	}
	struct per_cpu_pages *pcp = this_cpu_pcp(m, zone);
	unsigned int pindex = order_to_pindex(m, mt, order);

	count_vm_events(m, PGFREE, 1UL << order);
	list_add(&page->pcp_list, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	/* Over high: drain enough to get a batch below it (nr_pcp_free). */
	if (pcp->count >= pcp->high)
		free_pcppages_bulk(m, zone, pcp->count - pcp->high + pcp->batch, pcp, pindex);
}

static inline __attribute__((always_inline)) void free_the_page(struct machine *m, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(m, page);

	if (trace_enabled(m, mm_page_free))
		trace_emit(m, TP_mm_page_free, "page=%016lx pfn=0x%lx order=%u", page_kaddr(m, page), pfn, order);
	if (!free_pages_prepare(m, page, order))
		return;
	if (pcp_allowed_order(m, order))
		free_unref_page(m, page, pfn, order);
	else
		__free_pages_ok(m, page, order);
}

/* __free_pages: drop a reference; the last one frees the block. If others still hold the first page
 * of a non-compound block, the rest of the block is freed now (mm/page_alloc.c). */
void __free_pages(struct machine *m, struct page *page, unsigned int order)
{
	if (__builtin_expect(page_ref_count(page) <= 0 || PageTail(page), 0)) {
		bad_page(m, page, PageTail(page) ? "freeing a tail page" :
				  PageBuddy(page) ? "freeing a free page (PageBuddy)" : "page_ref_count(page) == 0");
		return;
	}
	bool head = PageHead(page);
	if (put_page_testzero(page)) {
		free_the_page(m, page, order);
	} else if (!head) {
		while (order-- > 0)
			free_the_page(m, page + (1UL << order), order);
	}
}

unsigned long __get_free_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(m, gfp & ~__GFP_HIGHMEM, order);

	return page ? page_address(m, page) : 0;
}

unsigned long get_zeroed_page(struct machine *m, gfp_t gfp)
{
	return __get_free_pages(m, gfp | __GFP_ZERO, 0);
}

void free_pages(struct machine *m, unsigned long addr, unsigned int order)
{
	struct page *page = virt_to_page(m, addr);

	if (page)
		__free_pages(m, page, order);
}

/* __free_pages_core: boot memory joins the buddy allocator (mm/page_alloc.c). */
void __free_pages_core(struct machine *m, struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(m, page);

	for (unsigned long i = 0; i < (1UL << order); i++) {
		ClearPageReserved(&page[i]);
		set_page_count(&page[i], 0);
	}
	zone->managed_pages += 1UL << order;
	__free_one_page(m, page, page_to_pfn(m, page), zone, order,
			get_pfnblock_migratetype(m, zone, page_to_pfn(m, page)));
}

/* drain_local_pages: this CPU's lists of one zone back into the buddy (mm/page_alloc.c). */
void drain_local_pages(struct machine *m, struct zone *zone)
{
	struct per_cpu_pages *pcp = this_cpu_pcp(m, zone);

	free_pcppages_bulk(m, zone, pcp->count, pcp, 0);
}

/* __isolate_free_page: compaction takes a free block off its list, unless that would leave the zone
 * under its min watermark; the pages taken, or 0 (mm/page_alloc.c). Its pageblock keeps its type:
 * compaction takes only from movable pageblocks, which a block of half a pageblock would make
 * movable in the kernel. */
unsigned long __isolate_free_page(struct machine *m, struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(m, page);
	enum migratetype mt = get_pfnblock_migratetype(m, zone, page_to_pfn(m, page));

	if (mt != MIGRATE_ISOLATE &&
	    !zone_watermark_ok(zone, 0, zone->_watermark[WMARK_MIN] + (1UL << order), 0, ALLOC_CMA))
		return 0;
	del_page_from_free_list(page, zone, order, mt);
	return 1UL << order;
}

/* drain_pages_zone / drain_all_pages: empty every CPU's lists back into the buddy. */
void drain_all_pages(struct machine *m)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(m, nid)->node_zones[z];
			if (!zone->per_cpu_pageset)
				continue;
			for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
				struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
				free_pcppages_bulk(m, zone, pcp->count, pcp, 0);
			}
		}
	}
}
