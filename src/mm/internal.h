/* What the files of src/mm share and nobody else needs (mm/internal.h). */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <mmlab/gfp.h>
#include <mmlab/machine.h>

/* alloc_flags: how get_page_from_freelist may use a zone (mm/internal.h). The low bits pick the
 * watermark to respect. */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04	/* ignore watermarks entirely (__GFP_MEMALLOC) */
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08	/* the OOM victim may dip deeper */
#define ALLOC_NON_BLOCK		0x10	/* the caller cannot reclaim: may use part of the reserve */
#define ALLOC_MIN_RESERVE	0x20	/* __GFP_HIGH: may use half the min reserve */
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100	/* avoid mixing migratetypes in a pageblock */
#define ALLOC_HIGHATOMIC	0x200	/* may use the high-order atomic reserve */
#define ALLOC_KSWAPD		0x800	/* wake kswapd when below the low watermark */
#define ALLOC_RESERVES		(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* What one allocation looks for (struct alloc_context, mm/internal.h). */
struct alloc_context {
	struct zonelist *zonelist;
	struct zoneref *preferred_zoneref;
	enum migratetype migratetype;
	enum zone_type highest_zoneidx;
	const nodemask_t *nodemask;	/* the nodes a memory policy allows, or NULL for all */
};

/* The test of for_next_zone_zonelist_nodemask (include/linux/mmzone.h): a zone the allocation may
 * use, at or below its highest zone and on a node of its nodemask. */
static inline bool zref_allowed(const struct alloc_context *ac, const struct zoneref *z)
{
	return z->zone_idx <= (int)ac->highest_zoneidx &&
	       (!ac->nodemask || ((ac->nodemask->bits >> z->zone->zone_pgdat->node_id) & 1));
}

/* __zone_watermark_ok: would the zone, holding free_pages, stay above mark after an allocation of
 * the order, with a free block big enough (mm/page_alloc.c)? */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
			 unsigned int alloc_flags, long free_pages);

static inline unsigned long pageblock_nr_pages(const struct machine *m)
{
	return 1UL << m->arch->pageblock_order;
}

/* Index of pfn's pageblock in its zone's pageblock_flags; the first block may be partial. */
static inline unsigned long pfn_to_bitidx(const struct machine *m, const struct zone *zone, unsigned long pfn)
{
	unsigned long base = zone->zone_start_pfn & ~(pageblock_nr_pages(m) - 1);
	return (pfn - base) >> m->arch->pageblock_order;
}

/* get_pfnblock_migratetype: the migratetype recorded for pfn's pageblock (mm/page_alloc.c). */
static inline enum migratetype get_pfnblock_migratetype(const struct machine *m, const struct zone *zone,
							unsigned long pfn)
{
	return (enum migratetype)zone->pageblock_flags[pfn_to_bitidx(m, zone, pfn)];
}

static inline unsigned long zone_nr_pageblocks(const struct machine *m, const struct zone *zone)
{
	unsigned long base = zone->zone_start_pfn & ~(pageblock_nr_pages(m) - 1);
	return (zone_end_pfn(zone) - base + pageblock_nr_pages(m) - 1) >> m->arch->pageblock_order;
}

void set_pageblock_migratetype(struct machine *m, struct zone *zone, unsigned long pfn, enum migratetype mt);

/* get_page_from_freelist: a page from the first zone of ac's zonelist that alloc_flags' watermark
 * allows, or NULL (mm/page_alloc.c). */
struct page *get_page_from_freelist(struct machine *m, gfp_t gfp, unsigned int order, unsigned int alloc_flags,
				    struct alloc_context *ac);
/* __alloc_pages_slowpath: what __alloc_pages does when the fast path found no zone above its low
 * watermark: kswapd, reserves, direct reclaim and compaction (page_alloc_slowpath.c). */
struct page *__alloc_pages_slowpath(struct machine *m, gfp_t gfp, unsigned int order, struct alloc_context *ac);
/* warn_alloc: the report of a failed allocation, unless gfp has __GFP_NOWARN (mm/page_alloc.c). */
void warn_alloc(struct machine *m, gfp_t gfp, unsigned int order);

/* pcp_allowed_order: orders served from the per-CPU lists. */
static inline bool pcp_allowed_order(const struct machine *m, unsigned int order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER || (m->arch->thp && order == m->arch->pageblock_order);
}

/* find_suitable_fallback: the first type an allocation of start_mt falls back to with a free block of
 * this order, or -1; *can_steal: whether it may claim the whole pageblock (mm/page_alloc.c). */
int find_suitable_fallback(const struct machine *m, struct free_area *area, unsigned int order,
			   enum migratetype start_mt, bool *can_steal);
/* __isolate_free_page: a free block taken off the lists for compaction; its pages, or 0. */
unsigned long __isolate_free_page(struct machine *m, struct page *page, unsigned int order);
/* move_freepages_block: every free block inside the pageblock at start_pfn moves from old_mt's lists
 * to new_mt's, and the pageblock takes new_mt (mm/page_alloc.c __move_freepages_block). The pages moved. */
unsigned long move_freepages_block(struct machine *m, struct zone *zone, unsigned long start_pfn,
				   enum migratetype old_mt, enum migratetype new_mt);
/* prep_compound_page: page heads a compound page of 2^order pages (mm/page_alloc.c). */
void prep_compound_page(struct page *page, unsigned int order);
/* drain_local_pages: this CPU's per-CPU lists of zone emptied into the buddy. */
void drain_local_pages(struct machine *m, struct zone *zone);

/* Boot: hand a range of free RAM to the buddy allocator (mm/mm_init.c memblock_free_pages). */
void __free_pages_core(struct machine *m, struct page *page, unsigned int order);
/* Per-CPU pagesets: allocated at boot, batch and high recomputed with the watermarks. */
void setup_zone_pageset(struct machine *m, struct zone *zone);
void zone_pcp_update(struct machine *m, struct zone *zone);
void free_zone_pagesets(struct zone *zone);

/* check_report: one "machine_check: " line of machine_check's report, and one more error counted. */
void check_report(struct seq_file *report, int *errors, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* bad_page: report a page in a state it must not be in, as the kernel does, and leave it alone. */
void bad_page(struct machine *m, struct page *page, const char *reason);

/* struct scan_control: one reclaim pass's goal and limits (mm/vmscan.c). */
struct scan_control {
	unsigned long nr_to_reclaim;
	unsigned long nr_reclaimed;
	gfp_t gfp_mask;
	int order;
	int priority;			/* scan 1/2^priority of each list */
	enum zone_type reclaim_idx;
	bool may_swap;
	bool kswapd;			/* current_is_kswapd() */
	bool proactive;			/* asked for through /sys/kernel/debug/lru_gen */
	bool file_is_tiny;
};

struct vm_area_struct;

/* What shrink_folio_list did (struct reclaim_stat). */
struct reclaim_stat {
	unsigned long nr_dirty, nr_pageout, nr_activate, nr_ref_keep, nr_unmap_fail;
};

/* shrink_folio_list: each isolated page activated, kept or reclaimed (ignore_references: whatever
 * its PTEs say); the kept ones stay on list. Pages reclaimed (mm/vmscan.c). */
unsigned long shrink_folio_list(struct machine *m, struct list_head *list, struct scan_control *sc,
				struct reclaim_stat *stat, bool ignore_references);
/* move_folios_to_lru: the pages of list back on the LRU, their isolation references dropped (an
 * mlocked one on the unevictable list); how many went back on evictable lists. */
unsigned long move_folios_to_lru(struct machine *m, struct list_head *list);
/* trace_shrink_inactive: the mm_vmscan_lru_shrink_inactive event of one batch. */
void trace_shrink_inactive(struct machine *m, const pg_data_t *pgdat, unsigned long nr_scanned,
			   unsigned long nr_reclaimed, const struct reclaim_stat *stat, int priority, bool file);

/* The multi-gen LRU's reclaim (mm/vmscan.c): lru_gen_shrink_node reclaims from a node's oldest
 * generations; lru_gen_age_node is kswapd's min_ttl_ms check; lru_gen_set_refs notes a young page
 * found through rmap (true: promote it); lru_gen_look_around promotes the young neighbours of the
 * PTE at addr; lru_gen_folio_seq is where a page joins; lru_gen_update_size moves a page's counts
 * from one generation (-1: none) to another. */
void lru_gen_shrink_node(struct machine *m, pg_data_t *pgdat, struct scan_control *sc);
void lru_gen_age_node(struct machine *m, pg_data_t *pgdat, struct scan_control *sc);
bool lru_gen_set_refs(struct page *page);
void lru_gen_look_around(struct vm_area_struct *vma, unsigned long addr, const struct page *page);
unsigned long lru_gen_folio_seq(const struct lruvec *lruvec, const struct page *page, bool reclaiming);
void lru_gen_update_size(struct machine *m, struct lruvec *lruvec, const struct page *page, int old_gen, int new_gen);
/* __update_lru_size: the node's and the zone's counter of an LRU list (include/linux/mm_inline.h). */
void __update_lru_size(pg_data_t *pgdat, enum lru_list lru, int zid, long nr);

/* get_scan_count: the pages of each of pgdat's LRU lists the pass scans, from vm.swappiness, the
 * lists' reclaim costs and whether swap is available (mm/vmscan.c). */
void get_scan_count(struct machine *m, pg_data_t *pgdat, struct scan_control *sc, unsigned long nr[NR_LRU_LISTS]);

/* pack_shadow / unpack_shadow: a workingset shadow entry and its fields (mm/workingset.c). */
void *pack_shadow(int memcgid, int nid, unsigned long eviction, bool workingset);
void unpack_shadow(const void *shadow, int *memcgid, int *nid, unsigned long *eviction, bool *workingset);

#endif
